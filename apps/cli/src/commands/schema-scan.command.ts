import { renameSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import {
  loadSchemaFile,
  saveSchemaChunks,
  scanSchema,
  schemaChunkCachePath,
  SCHEMA_FILE,
  type RawDatabase,
} from '@sogoms/schema';
import { findApp } from '../app-config.lookup.js';
import { CliFailure, EXIT, type CliCommand, type CliContext } from '../cli-context.js';
import { withAppDatabase } from '../database-connection.js';
import { describeReload, SupervisorClient } from '../supervisor-client.js';

/** Writes next to the target, then renames: a reader never sees half a file. */
const writeAtomically = (path: string, text: string): void => {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
};

const list = (ctx: CliContext, title: string, items: readonly string[]): void => {
  if (items.length > 0) ctx.out(`${title}: ${items.join(', ')}`);
};

/**
 * The users table to mark: `--auth-table` (it must exist), else app.yaml's `auth.users_table`,
 * as the gateway's admin endpoint does (a note says so when the database has no such table).
 */
const authTableFor = (raw: RawDatabase, given: string | undefined, configured: string): string => {
  if (given === undefined) return configured;
  if (!raw.tables.some((t) => t.name === given && t.tableType !== 'VIEW')) {
    throw new CliFailure(`--auth-table ${given}: no such table in database '${raw.database}'`);
  }
  return given;
};

/** What `schema scan` takes (declared in schema.command.ts). */
export interface SchemaScanOptions {
  authTable?: string;
}

/**
 * `sogoms schema scan <app> [--auth-table T]`: reads the app's database (INFORMATION_SCHEMA
 * over mysql2, or an SQLite file read-only), merges it into `config/apps/{app}/schema.yaml` (hand-set options kept,
 * dropped tables and columns kept and reported), writes the file, lists what changed, and asks a
 * running supervisor to reload. Exit 0; 1 when the merged file has findings (written, but not
 * reloaded: fix them first); 2 on an error (an existing schema.yaml that does not parse is never
 * overwritten).
 */
export const schemaScanCommand: CliCommand<SchemaScanOptions> = {
  async run(ctx) {
    const given = ctx.options.authTable;
    const { global, app } = findApp(ctx.configRoot, ctx.args[0]);
    const displayRoot = dirname(ctx.configRoot);
    const path = join(app.dir, SCHEMA_FILE);
    const shown = relative(displayRoot, path);
    // A file with findings throws a ConfigError listing them: merging into a half-read file would lose edits.
    const existing = loadSchemaFile(app.dir, displayRoot);
    const raw = await withAppDatabase(app, (db) => db.introspect());
    const authTable = authTableFor(raw, given, app.auth.usersTable);
    const result = scanSchema(raw, existing, { file: shown, authTable });

    const unchanged = existsSync(path) && readFileSync(path, 'utf8') === result.yaml;
    if (!unchanged) writeAtomically(path, result.yaml);
    const views = result.schema.tables.filter((t) => t.view).length;
    const tables = result.schema.tables.length - views;
    ctx.out(
      `${unchanged ? 'unchanged' : existing === null ? 'created' : 'updated'} ${shown} ` +
        `from database '${raw.database}': ${tables} tables, ${views} views`,
    );
    const { report } = result;
    if (existing !== null) {
      list(ctx, 'added tables', report.addedTables);
      list(ctx, 'added fields', report.addedFields);
      list(ctx, 'changed fields', report.changedFields);
    }
    list(ctx, 'dropped tables (still in the file: remove them by hand)', report.droppedTables);
    list(ctx, 'dropped fields (still in the file: remove them by hand)', report.droppedFields);
    for (const note of result.notes) ctx.out(`note: ${note}`);
    if (result.findings.length > 0) {
      for (const finding of result.findings) {
        const at = finding.line === undefined ? finding.file : `${finding.file}:${finding.line}`;
        ctx.err(`${at}: ${finding.key}: ${finding.message}`);
      }
      ctx.err(`fix ${shown} (the running services keep the schema they have), then run \`sogoms reload\``);
      return EXIT.findings;
    }
    // scanSchema parsed the new file block by block: those blocks become the services' parse
    // cache, so the first start after a scan does not parse 1,000 tables again. Best effort.
    await saveSchemaChunks(shown, schemaChunkCachePath(global.runDir, app.name)).catch(() => undefined);
    if (!unchanged) ctx.out(describeReload(await new SupervisorClient(global.runDir).requestReload()));
    return EXIT.ok;
  },
};
