import { CRON_PATTERNS, type CronRun } from '@sogoms/ipc';
import { CliFailure, EXIT, type CliCommand } from '../cli-context.js';
import { callService } from '../service-client.js';
import { cronRunsTable } from './cron-tables.js';

/** What `cron status` takes (declared in cron.command.ts). */
export interface CronStatusOptions {
  limit?: string;
  json?: boolean;
}

/** `sogoms cron status <app> [job]`: the newest runs, of one job or of the app. */
export const cronStatusCommand: CliCommand<CronStatusOptions> = {
  async run(ctx) {
    const [app, job] = ctx.args;
    const limit = ctx.options.limit ?? '20';
    if (!/^[1-9]\d*$/.test(limit))
      throw new CliFailure(`--limit: expected a positive integer, got ${JSON.stringify(limit)}`);
    const runs = await callService<CronRun[]>(ctx.configRoot, 'cron', CRON_PATTERNS.status, {
      app,
      ...(job === undefined ? {} : { job }),
      limit: Number(limit),
    });
    ctx.out(ctx.options.json === true ? JSON.stringify(runs, null, 2) : cronRunsTable(runs));
    return EXIT.ok;
  },
};
