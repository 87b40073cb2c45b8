import { describeChange } from '@sogoms/schema';
import { findApp } from '../app-config.lookup.js';
import { EXIT, type CliCommand } from '../cli-context.js';
import { withAppDatabase } from '../database-connection.js';
import { compareWithDatabase, desiredSchemaOf } from '../schema-comparison.js';

/** What `schema diff` takes (declared in schema.command.ts). */
export interface SchemaDiffOptions {
  json?: boolean;
}

/**
 * `sogoms schema diff <app> [--json]`: schema.yaml against the live database, database facts
 * only (tables, columns, keys, indexes, foreign keys). Exit 0 nothing differs, 1 differences,
 * 2 error. `--json` prints `{ app, database, differences: [{ kind, table, ..., description }] }`.
 */
export const schemaDiffCommand: CliCommand<SchemaDiffOptions> = {
  async run(ctx) {
    const { app } = findApp(ctx.configRoot, ctx.args[0]);
    const desired = desiredSchemaOf(ctx.configRoot, app);
    const changes = await withAppDatabase(app, (db) => compareWithDatabase(desired, db));
    const database = app.database.name;
    if (ctx.options.json === true) {
      const differences = changes.map((change) => ({ ...change, description: describeChange(change) }));
      ctx.out(JSON.stringify({ app: app.name, database, differences }, null, 2));
    } else if (changes.length === 0) {
      ctx.out(`schema.yaml of app '${app.name}' matches database '${database}'`);
    } else {
      const count = changes.length === 1 ? '1 difference' : `${changes.length} differences`;
      ctx.out(`${count} between schema.yaml of app '${app.name}' and database '${database}':`);
      for (const change of changes) ctx.out(`  ${describeChange(change)}`);
    }
    return changes.length === 0 ? EXIT.ok : EXIT.findings;
  },
};
