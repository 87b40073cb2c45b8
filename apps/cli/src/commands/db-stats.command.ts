import { DB_PATTERNS, type DbStats } from '@sogoms/ipc';
import { EXIT, type CliCommand } from '../cli-context.js';
import { callService } from '../service-client.js';
import { textTable } from '../text-table.js';

/** What `db stats` takes (declared in db.command.ts). */
export interface DbStatsOptions {
  json?: boolean;
}

const cell = (value: number | null): string => (value === null ? '-' : String(value));

/** The connection budget of each MariaDB server, one row each, then the statement counters. */
export const dbStatsText = (stats: DbStats): string => {
  const servers =
    stats.servers.length === 0
      ? 'no MariaDB server (SQLite apps only)'
      : textTable(
          [
            'SERVER',
            'APPS',
            'MAX',
            'BUDGET',
            'IN USE',
            'IDLE',
            'WAITING',
            'TIMED OUT',
            'QUEUE FULL',
            '1040s',
          ],
          stats.servers.map((s) => [
            s.server,
            String(s.apps),
            cell(s.server_max_connections),
            String(s.budget),
            String(s.in_use),
            String(s.idle),
            String(s.waiting),
            String(s.timed_out_waits),
            String(s.queue_full),
            String(s.refused_1040),
          ]),
        );
  return `${servers}\n\nstatements ${stats.queries}, slow ${stats.slow_queries}, errors ${stats.errors}; apps ${stats.apps.length}`;
};

/** `sogoms db stats`: the running db service's connection budgets and counters. */
export const dbStatsCommand: CliCommand<DbStatsOptions> = {
  async run(ctx) {
    const stats = await callService<DbStats>(ctx.configRoot, 'db', DB_PATTERNS.stats, {});
    ctx.out(ctx.options.json === true ? JSON.stringify(stats, null, 2) : dbStatsText(stats));
    return EXIT.ok;
  },
};
