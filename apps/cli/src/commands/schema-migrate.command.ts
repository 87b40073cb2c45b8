import { applyMigration, describeChange, migrationFor } from '@sogoms/schema';
import { findApp } from '../app-config.lookup.js';
import { EXIT, type CliCommand, type CliContext } from '../cli-context.js';
import { withAppDatabase } from '../database-connection.js';
import { compareWithDatabase, desiredSchemaOf } from '../schema-comparison.js';

/** Each statement as a script line: the output of a dry run can be fed to the mariadb client. */
const printStatements = (ctx: CliContext<object>, statements: readonly string[]): void => {
  for (const statement of statements) ctx.out(`${statement};\n`);
};

/** What `schema migrate` takes (declared in schema.command.ts). */
export interface SchemaMigrateOptions {
  apply?: boolean;
  allowDrop?: boolean;
}

/**
 * `sogoms schema migrate <app> [--apply] [--allow-drop]`: prints the DDL (MariaDB's or SQLite's) that brings the
 * database to schema.yaml (a script: statements, and `--` comments for what it will not do). With
 * --apply it runs the statements in order on one connection, stops at the first failure (exit 2,
 * naming what ran and what did not), then compares again: exit 0 when nothing differs, 1 when
 * something still does (a skipped drop, a view). DROP TABLE / COLUMN only with --allow-drop.
 */
export const schemaMigrateCommand: CliCommand<SchemaMigrateOptions> = {
  async run(ctx) {
    const apply = ctx.options.apply === true;
    const allowDrop = ctx.options.allowDrop === true;
    const { app } = findApp(ctx.configRoot, ctx.args[0]);
    const desired = desiredSchemaOf(ctx.configRoot, app);
    const database = app.database.name;
    return withAppDatabase(
      app,
      async (db) => {
        const changes = await compareWithDatabase(desired, db);
        if (changes.length === 0) {
          ctx.out(`-- nothing to migrate: database '${database}' matches schema.yaml of app '${app.name}'`);
          return EXIT.ok;
        }
        const { statements, skipped } = migrationFor(changes, desired, { allowDrop, engine: db.engine });
        ctx.out(`-- app '${app.name}', database '${database}': ${statements.length} statement(s)`);
        // What encryption changes is said in words: the DDL alone shows a wider column, not why.
        for (const change of changes)
          if ('note' in change && change.note !== undefined) ctx.out(`-- ${describeChange(change)}`);
        for (const line of skipped) ctx.out(`-- skipped: ${line}`);
        if (!apply) {
          printStatements(ctx, statements);
          if (statements.length > 0) ctx.out('-- not applied (dry run): run again with --apply');
          return EXIT.ok;
        }
        const run = await applyMigration(statements, (sql) => db.runStatement(sql), db.engine);
        printStatements(ctx, run.applied);
        ctx.out(`-- applied ${run.applied.length} of ${statements.length} statement(s)`);
        if (run.failed !== undefined) {
          ctx.err(`sogoms: this statement failed: ${run.failed.error}\n${run.failed.statement};`);
          if (run.notApplied.length > 0) {
            ctx.err(`sogoms: ${run.notApplied.length} statement(s) after it were not applied:`);
            for (const statement of run.notApplied) ctx.err(`${statement};`);
          }
          return EXIT.error;
        }
        const remaining = await compareWithDatabase(desired, db);
        if (remaining.length === 0) {
          ctx.out(`-- database '${database}' now matches schema.yaml`);
          return EXIT.ok;
        }
        ctx.out(`-- still different after the migration (${remaining.length}):`);
        for (const change of remaining) ctx.out(`--   ${describeChange(change)}`);
        return EXIT.findings;
      },
      { write: apply },
    );
  },
};
