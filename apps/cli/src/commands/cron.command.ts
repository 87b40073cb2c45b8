import type { Command } from 'commander';
import { commandAction, type CliRun } from '../command-action.js';
import { withExamples } from '../command-help.js';
import type { CronListOptions } from './cron-list.command.js';
import type { CronStatusOptions } from './cron-status.command.js';
import type { CronTriggerOptions } from './cron-trigger.command.js';

/** `sogoms cron …`: the apps' scheduled jobs, through the running cron service. */
export const defineCronCommands = (program: Command, run: CliRun): void => {
  const cron = withExamples(
    program
      .command('cron')
      .description("the apps' scheduled jobs (cron.yaml): list, run now, history, pause"),
    'sogoms cron list',
  );
  withExamples(
    cron
      .command('list')
      .description('the jobs with their next 3 fire times in their zone')
      .argument('[app]', 'only this app')
      .option('--json', 'print JSON')
      .action(
        commandAction<CronListOptions>(
          run,
          async () => (await import('./cron-list.command.js')).cronListCommand,
        ),
      ),
    'sogoms cron list prokov',
  );
  withExamples(
    cron
      .command('trigger')
      .description(
        'run a job now (outside its schedule, even paused) and print the finished run; exit 1 unless ok',
      )
      .argument('<app>', 'an app with a cron.yaml')
      .argument('<job>', 'a job name of its cron.yaml')
      .option('--json', 'print JSON')
      .action(
        commandAction<CronTriggerOptions>(
          run,
          async () => (await import('./cron-trigger.command.js')).cronTriggerCommand,
        ),
      ),
    'sogoms cron trigger prokov tasks_today',
  );
  withExamples(
    cron
      .command('status')
      .description('the newest runs of a job, or of every job of the app')
      .argument('<app>', 'an app with a cron.yaml')
      .argument('[job]', 'only this job')
      .option('--limit <n>', 'at most this many (default 20, at most 500)')
      .option('--json', 'print JSON')
      .action(
        commandAction<CronStatusOptions>(
          run,
          async () => (await import('./cron-status.command.js')).cronStatusCommand,
        ),
      ),
    'sogoms cron status prokov tasks_today --limit 5',
  );
  withExamples(
    cron
      .command('pause')
      .description('stop running a job at its fire times (kept across restarts) until resume')
      .argument('<app>', 'an app with a cron.yaml')
      .argument('<job>', 'a job name of its cron.yaml')
      .action(commandAction(run, async () => (await import('./cron-pause.command.js')).cronPauseCommand)),
    'sogoms cron pause prokov tasks_today',
  );
  withExamples(
    cron
      .command('resume')
      .description('run a paused job at its fire times again')
      .argument('<app>', 'an app with a cron.yaml')
      .argument('<job>', 'a job name of its cron.yaml')
      .action(commandAction(run, async () => (await import('./cron-pause.command.js')).cronResumeCommand)),
    'sogoms cron resume prokov tasks_today',
  );
};
