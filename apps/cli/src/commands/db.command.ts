import type { Command } from 'commander';
import { commandAction, type CliRun } from '../command-action.js';
import { withExamples } from '../command-help.js';
import type { DbExportOptions } from './db-export.command.js';
import type { DbStatsOptions } from './db-stats.command.js';

/** `sogoms db …`: an app's database as a whole. */
export const defineDbCommands = (program: Command, run: CliRun): void => {
  const db = withExamples(
    program
      .command('db')
      .description(
        'the databases: connection budgets of the running stack, moving an app from SQLite to MariaDB',
      ),
    'sogoms db export --help',
  );
  withExamples(
    db
      .command('export')
      .description(
        "copy an SQLite app's tables and rows (or its fallback's) into a new, empty MariaDB database and check the row counts",
      )
      .argument('<app>', 'an app of config/apps')
      .requiredOption(
        '--to <url>',
        'the MariaDB database to create or fill, mysql://user:pass@host:port/database',
      )
      .action(
        commandAction<DbExportOptions>(
          run,
          async () => (await import('./db-export.command.js')).dbExportCommand,
        ),
      ),
    'sogoms db export prokov --to mysql://root@127.0.0.1:3306/prokov',
  );
  withExamples(
    db
      .command('stats')
      .description(
        'the running db service: per MariaDB server its connection budget, connections in use and idle, statements waiting, waits timed out, 1040s seen',
      )
      .option('--json', 'the db.stats answer as JSON')
      .action(
        commandAction<DbStatsOptions>(
          run,
          async () => (await import('./db-stats.command.js')).dbStatsCommand,
        ),
      ),
    'sogoms db stats',
  );
};
