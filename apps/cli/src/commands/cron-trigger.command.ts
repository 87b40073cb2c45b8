import { CRON_PATTERNS, type CronRun } from '@sogoms/ipc';
import { EXIT, type CliCommand } from '../cli-context.js';
import { callService } from '../service-client.js';
import { cronRunsTable } from './cron-tables.js';

/** A triggered run may take as long as its attempts; the CLI waits this long at most. */
const TRIGGER_TIMEOUT_MS = 15 * 60_000;

/** What `cron trigger` takes (declared in cron.command.ts). */
export interface CronTriggerOptions {
  json?: boolean;
}

/** `sogoms cron trigger <app> <job>`: runs the job now and prints the finished run; exit 1 unless ok. */
export const cronTriggerCommand: CliCommand<CronTriggerOptions> = {
  async run(ctx) {
    const [app, job] = ctx.args;
    const run = await callService<CronRun>(
      ctx.configRoot,
      'cron',
      CRON_PATTERNS.trigger,
      { app, job },
      TRIGGER_TIMEOUT_MS,
    );
    ctx.out(ctx.options.json === true ? JSON.stringify(run, null, 2) : cronRunsTable([run]));
    return run.status === 'ok' ? EXIT.ok : EXIT.failed;
  },
};
