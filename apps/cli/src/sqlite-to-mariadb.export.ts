import Database from 'better-sqlite3';
import {
  applyMigration,
  diffSchemas,
  migrationFor,
  quoteIdentifier,
  type SchemaDef,
  type TableDef,
} from '@sogoms/schema';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { CliFailure } from './cli-context.js';

/** Rows per INSERT: big enough to be quick, small enough for any max_allowed_packet. */
const BATCH_ROWS = 500;

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

export interface ExportOutcome {
  statements: number;
  skipped: string[];
  counts: TableCount[];
}

/** A database with nothing in it: the diff against it is every table to create. */
const EMPTY: SchemaDef = { version: 1, tables: [] };

/** better-sqlite3 gives exact integers as bigint here: mysql2 takes them as text. */
const forMariaDb = (value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);

/**
 * Copies an SQLite app's tables (as its schema.yaml describes them) into an empty MariaDB
 * database: the tables are created by the same DDL as `schema migrate`, the rows copied in
 * batches with foreign key checks off (any order), and every table's row count compared after.
 * Views are not created (schema.yaml holds no view SQL): they are reported as skipped.
 */
export const exportSqliteToMariaDb = async (
  file: string,
  schema: SchemaDef,
  target: Connection,
): Promise<ExportOutcome> => {
  const source = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = schema.tables.filter((t) => !t.view);
    const migration = migrationFor(diffSchemas(schema, EMPTY), schema, { allowDrop: false });
    const run = await applyMigration(migration.statements, (sql) => target.query(sql));
    if (run.failed !== undefined)
      throw new CliFailure(`creating the tables failed: ${run.failed.error} (${run.failed.statement})`);
    await target.query('SET FOREIGN_KEY_CHECKS = 0');
    try {
      for (const table of tables) await copyTable(source, target, table);
    } finally {
      await target.query('SET FOREIGN_KEY_CHECKS = 1');
    }
    const counts: TableCount[] = [];
    for (const table of tables) {
      const name = quoteIdentifier(table.name);
      const sourceCount = Number(source.prepare(`SELECT COUNT(*) FROM ${name}`).pluck().get());
      const [rows] = await target.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${name}`);
      counts.push({ table: table.name, source: sourceCount, target: Number(rows[0].n) });
    }
    return { statements: migration.statements.length, skipped: migration.skipped, counts };
  } finally {
    source.close();
  }
};

const copyTable = async (source: Database.Database, target: Connection, table: TableDef): Promise<void> => {
  const name = quoteIdentifier(table.name);
  const columns = table.fields.map((f) => quoteIdentifier(f.name));
  const placeholders = `(${table.fields.map((f) => (f.type === 'geometry' ? 'ST_GeomFromText(?)' : '?')).join(', ')})`;
  const read = source
    .prepare(`SELECT ${columns.join(', ')} FROM ${name}`)
    .raw(true)
    .safeIntegers(true);
  let batch: unknown[][] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await target.query(
      `INSERT INTO ${name} (${columns.join(', ')}) VALUES ${batch.map(() => placeholders).join(', ')}`,
      batch.flat(),
    );
    batch = [];
  };
  await target.beginTransaction();
  try {
    for (const row of read.iterate() as IterableIterator<unknown[]>) {
      batch.push(row.map(forMariaDb));
      if (batch.length >= BATCH_ROWS) await flush();
    }
    await flush();
    await target.commit();
  } catch (error) {
    await target.rollback().catch(() => undefined);
    throw error;
  }
};
