import type { Command } from 'commander';
import { commandAction, type CliRun } from '../command-action.js';
import { withExamples } from '../command-help.js';
import type { AppCreateOptions } from './app-create.command.js';

/** `sogoms app …`: apps of config/apps. */
export const defineAppCommands = (program: Command, run: CliRun): void => {
  const app = withExamples(
    program.command('app').description('apps of config/apps: bring a database in'),
    'sogoms app create --help',
  );
  withExamples(
    app
      .command('create')
      .description('bring an existing database in as a new app (app.yaml, secrets, schema.yaml)')
      .argument('<name>', 'the new app, [a-z][a-z0-9_-]*')
      .requiredOption(
        '--database-url <url>',
        'mysql://user:pass@host:port/database or sqlite:path/to/file.db (required)',
      )
      .requiredOption('--host <hosts>', 'the host names it answers, comma-separated (required)')
      .option('--auth-table <table>', 'the users table (default: detected, or sogoms_users is created)')
      .option('--base-path <path>', 'where its API lives', '/api')
      .option('--add-role-column', 'add a role column to the users table when it has none')
      .action(
        commandAction<AppCreateOptions>(
          run,
          async () => (await import('./app-create.command.js')).appCreateCommand,
        ),
      ),
    'sogoms app create shop --database-url mysql://root@127.0.0.1:3306/shop --host shop.localhost',
    'sogoms app create notes --database-url sqlite:data/notes.db --host notes.localhost',
  );
};
