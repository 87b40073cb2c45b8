import Database from 'better-sqlite3';
import { diffSchemas, migrationFor, quoteIdentifier, type SchemaDef } from '@sogoms/schema';
import type { RowDataPacket } from 'mysql2/promise';
import { withConnection, type MysqlServer } from './mysql-server.js';

/** Rows per SELECT from MariaDB while copying. */
const PAGE_ROWS = 5_000;

/**
 * The SQLite copy of a MariaDB database for the bench's SQLite stack: the tables as schema.yaml
 * describes them, made by `schema migrate`'s SQLite DDL (what a user of SQLite gets), then every
 * row (geometry as WKT, SQLite having none). Made fresh each run: Sakila copies in seconds.
 */
export const copyToSqlite = async (
  server: MysqlServer,
  database: string,
  schema: SchemaDef,
  file: string,
): Promise<{ tables: number; rows: number; skipped: string[] }> => {
  const target = new Database(file);
  const skippedLines: string[] = [];
  let rows = 0;
  try {
    target.pragma('journal_mode = WAL');
    // Sakila's keys go round (store ↔ staff): copy in any order, as the MariaDB dump does.
    target.pragma('foreign_keys = OFF');
    const { statements, skipped } = migrationFor(diffSchemas(schema, { version: 1, tables: [] }), schema, {
      allowDrop: false,
      engine: 'sqlite',
    });
    // What SQLite's DDL leaves out (views, ON UPDATE, spatial indexes) no scenario reads.
    skippedLines.push(...skipped);
    for (const statement of statements) target.exec(statement);
    const tables = schema.tables.filter((t) => !t.view);
    await withConnection(
      server,
      async (connection) => {
        // TIMESTAMP columns come back in the session's zone: UTC, as the db service reads them.
        await connection.query("SET time_zone = '+00:00'");
        for (const table of tables) {
          const columns = table.fields.map((f) => quoteIdentifier(f.name));
          const select = table.fields
            .map((f) =>
              f.type === 'geometry' ? `ST_AsText(${quoteIdentifier(f.name)})` : quoteIdentifier(f.name),
            )
            .join(', ');
          const insert = target.prepare(
            `INSERT INTO ${quoteIdentifier(table.name)} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
          );
          const order = table.primary.map(quoteIdentifier).join(', ') || '1';
          for (let offset = 0; ; offset += PAGE_ROWS) {
            const [page] = await connection.query<RowDataPacket[]>({
              sql: `SELECT ${select} FROM ${quoteIdentifier(table.name)} ORDER BY ${order} LIMIT ? OFFSET ?`,
              values: [PAGE_ROWS, offset],
              rowsAsArray: true,
              dateStrings: true,
            });
            const values = page as unknown as unknown[][];
            target.transaction(() => {
              for (const row of values) insert.run(...row.map(sqliteValue));
            })();
            rows += values.length;
            if (values.length < PAGE_ROWS) break;
          }
        }
      },
      database,
    );
    return { tables: tables.length, rows, skipped: skippedLines };
  } finally {
    target.close();
  }
};

/** What better-sqlite3 binds: booleans as 0/1, the rest as mysql2 gives it (dates as text). */
const sqliteValue = (value: unknown): unknown => (typeof value === 'boolean' ? Number(value) : value);
