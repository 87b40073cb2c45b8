import { existsSync } from 'node:fs';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { findApp } from '../app-config.lookup.js';
import { CliFailure, EXIT, type CliCommand } from '../cli-context.js';
import { parseDatabaseUrl, redactedUrl } from '../database-url.js';
import { desiredSchemaOf } from '../schema-comparison.js';
import { exportSqliteToMariaDb } from '../sqlite-to-mariadb.export.js';
import { textTable } from '../text-table.js';

/** What `db export` takes (declared in db.command.ts). */
export interface DbExportOptions {
  to: string;
}

/**
 * `sogoms db export <app> --to mysql://...`: the way from the quick start's SQLite file into
 * production. The source is the app's SQLite database, or its `database.fallback` file; the
 * target must be new or empty (nothing is overwritten). Exit 0 when every table's row count
 * matches, 1 when one does not.
 */
export const dbExportCommand: CliCommand<DbExportOptions> = {
  async run(ctx) {
    const { app } = findApp(ctx.configRoot, ctx.args[0]);
    const file = app.database.driver === 'sqlite' ? app.database.file : (app.database.fallback?.file ?? null);
    if (file === null)
      throw new CliFailure(
        `app '${app.name}' has no SQLite database to export (database.driver is mariadb, no fallback)`,
      );
    if (!existsSync(file))
      throw new CliFailure(`the SQLite file of app '${app.name}' does not exist: ${file}`);
    const schema = desiredSchemaOf(ctx.configRoot, app);
    const target = parseDatabaseUrl(ctx.options.to);
    if (target.driver !== 'mariadb')
      throw new CliFailure(
        '--to names the MariaDB database to export into: mysql://user:pass@host:port/database',
      );
    const where = redactedUrl(target);
    let connection: mysql.Connection;
    try {
      connection = await mysql.createConnection({
        host: target.host,
        port: target.port,
        user: target.user,
        password: target.password,
        multipleStatements: false,
        timezone: 'Z',
        connectTimeout: 5_000,
      });
    } catch (error) {
      throw new CliFailure(
        `cannot connect to ${where} (${(error as { code?: string }).code ?? String(error)})`,
      );
    }
    try {
      await connection.query("SET SESSION time_zone = '+00:00'");
      const [tables] = await connection.query<RowDataPacket[]>(
        'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
        [target.name],
      );
      const existing = Number(tables[0].n);
      if (existing > 0)
        throw new CliFailure(
          `database '${target.name}' already holds ${existing} table(s): export writes only into a new or empty database`,
        );
      await connection.query(
        `CREATE DATABASE IF NOT EXISTS ${mysql.escapeId(target.name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      );
      await connection.changeUser({ database: target.name });
      const outcome = await exportSqliteToMariaDb(file, schema, connection);
      for (const line of outcome.skipped) ctx.out(`skipped: ${line}`);
      ctx.out(
        textTable(
          ['TABLE', 'SQLITE ROWS', 'MARIADB ROWS'],
          outcome.counts.map((c) => [c.table, String(c.source), String(c.target)]),
        ),
      );
      const different = outcome.counts.filter((c) => c.source !== c.target);
      if (different.length > 0) {
        ctx.err(`sogoms: row counts differ for ${different.map((c) => c.table).join(', ')}`);
        return EXIT.failed;
      }
      ctx.out(
        `exported app '${app.name}' (${outcome.counts.length} tables) to ${where}; ` +
          `point database: in app.yaml at it, then sogoms reload`,
      );
      return EXIT.ok;
    } finally {
      await connection.end().catch(() => undefined);
    }
  },
};
