import type { Command } from 'commander';
import { commandAction, type CliRun } from '../command-action.js';
import { withExamples } from '../command-help.js';
import type { SchemaScanOptions } from './schema-scan.command.js';
import type { SchemaValidateOptions } from './schema-validate.command.js';
import type { SchemaDiffOptions } from './schema-diff.command.js';
import type { SchemaMigrateOptions } from './schema-migrate.command.js';

/** `sogoms schema …`: an app's schema.yaml against its database. */
export const defineSchemaCommands = (program: Command, run: CliRun): void => {
  const schema = withExamples(
    program
      .command('schema')
      .description("an app's schema.yaml: scan it from the database, validate, diff, migrate"),
    'sogoms schema validate shop',
    'sogoms schema scan shop --help',
  );
  withExamples(
    schema
      .command('scan')
      .description('read the database and write (or merge into) schema.yaml, then ask for a reload')
      .argument('<app>', 'an app of config/apps')
      .option('--auth-table <table>', "the users table to mark (default: app.yaml's auth.users_table)")
      .action(
        commandAction<SchemaScanOptions>(
          run,
          async () => (await import('./schema-scan.command.js')).schemaScanCommand,
        ),
      ),
    'sogoms schema scan shop',
    'sogoms schema scan shop --auth-table customers',
  );
  withExamples(
    schema
      .command('validate')
      .description("check an app's schema.yaml (file:line: table.field: problem); exit 1 on findings")
      .argument('<app>', 'an app of config/apps')
      .option('--json', 'print the findings as JSON')
      .action(
        commandAction<SchemaValidateOptions>(
          run,
          async () => (await import('./schema-validate.command.js')).schemaValidateCommand,
        ),
      ),
    'sogoms schema validate shop',
  );
  withExamples(
    schema
      .command('diff')
      .description('compare schema.yaml with the live database; exit 1 when they differ')
      .argument('<app>', 'an app of config/apps')
      .option('--json', 'print { app, database, differences } as JSON')
      .action(
        commandAction<SchemaDiffOptions>(
          run,
          async () => (await import('./schema-diff.command.js')).schemaDiffCommand,
        ),
      ),
    'sogoms schema diff shop --json',
  );
  withExamples(
    schema
      .command('migrate')
      .description('print (or --apply) the DDL that brings the database to schema.yaml')
      .argument('<app>', 'an app of config/apps')
      .option('--apply', 'run the statements (default: print them, a dry run)')
      .option('--allow-drop', 'also drop tables and columns that schema.yaml no longer has')
      .action(
        commandAction<SchemaMigrateOptions>(
          run,
          async () => (await import('./schema-migrate.command.js')).schemaMigrateCommand,
        ),
      ),
    'sogoms schema migrate shop',
    'sogoms schema migrate shop --apply',
  );
};
