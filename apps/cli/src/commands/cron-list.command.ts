import { CRON_PATTERNS, type CronJobInfo } from '@sogoms/ipc';
import { EXIT, type CliCommand } from '../cli-context.js';
import { callService } from '../service-client.js';
import { cronJobsTable } from './cron-tables.js';

/** What `cron list` takes (declared in cron.command.ts). */
export interface CronListOptions {
  json?: boolean;
}

/** `sogoms cron list [app]`: the jobs with their next 3 fire times. */
export const cronListCommand: CliCommand<CronListOptions> = {
  async run(ctx) {
    const [app] = ctx.args;
    const jobs = await callService<CronJobInfo[]>(
      ctx.configRoot,
      'cron',
      CRON_PATTERNS.list,
      app === undefined ? {} : { app },
    );
    ctx.out(ctx.options.json === true ? JSON.stringify(jobs, null, 2) : cronJobsTable(jobs));
    return EXIT.ok;
  },
};
