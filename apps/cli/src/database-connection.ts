import type { DatabaseConfig } from '@sogoms/config';
import { readDatabase, readSqliteDatabase, type RawDatabase } from '@sogoms/schema';
import Database from 'better-sqlite3';
import mysql, { type Connection, type ResultSetHeader } from 'mysql2/promise';
import { CliFailure } from './cli-context.js';

/** Where an app's database is: app.yaml's `database:` (or one built from a --database-url). */
export type DatabaseTarget =
  | (Pick<DatabaseConfig, 'host' | 'port' | 'user' | 'password' | 'name'> & { driver?: 'mariadb' })
  | { driver: 'sqlite'; file: string | null; name: string };

export type QueryRows = Record<string, unknown>[];

/** What a command gets for the time of `withAppDatabase`. */
export interface AppDatabase {
  /** The database (schema) name, for `TABLE_SCHEMA = ?`; for SQLite the file's basename. */
  name: string;
  engine: 'mariadb' | 'sqlite';
  /** A parameterised statement (`?` placeholders): rows for a SELECT, [] for anything else. */
  query(sql: string, params?: unknown[]): Promise<QueryRows>;
  /** A write: affected rows and the insert id. */
  execute(sql: string, params?: unknown[]): Promise<{ affectedRows: number; insertId: number }>;
  /** The catalog in the raw shape: INFORMATION_SCHEMA on MariaDB, the pragma functions on SQLite. */
  introspect(): Promise<RawDatabase>;
  /** One statement of a migration, on the one connection the whole migration uses. */
  runStatement(sql: string): Promise<unknown>;
  /** MariaDB only: the mysql2 connection itself, for what the above do not cover. */
  connection?: Connection;
}

export interface OpenOptions {
  /** SQLite: open the file for writing (else read-only). MariaDB sessions are always read-write. */
  write?: boolean;
}

const CONNECT_TIMEOUT_MS = 5_000;

const driverCode = (error: unknown): string => {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return error instanceof Error ? error.message : String(error);
};

/**
 * Opens one connection to the app's database (mysql2 directly: the CLI needs no db service),
 * runs `fn`, and closes it whatever happens. A connection that cannot be made is a CliFailure
 * naming the database, host and the driver's error code (ER_ACCESS_DENIED_ERROR, ECONNREFUSED,
 * ER_BAD_DB_ERROR ...). Sessions are in UTC, like the db service's.
 */
export const withAppDatabase = async <T>(
  app: { name: string; database: DatabaseTarget },
  fn: (db: AppDatabase) => Promise<T>,
  options: OpenOptions = {},
): Promise<T> => {
  const target = app.database;
  if (target.driver === 'sqlite') return withSqliteFile(app.name, target, fn, options);
  let connection: Connection;
  try {
    connection = await mysql.createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      database: target.name,
      connectTimeout: CONNECT_TIMEOUT_MS,
      timezone: 'Z',
      dateStrings: ['DATE'],
      supportBigNumbers: true,
      charset: 'utf8mb4_unicode_ci',
    });
  } catch (error) {
    throw new CliFailure(
      `cannot connect to database '${target.name}' of app '${app.name}' at ${target.host}:${target.port} as '${target.user}' (${driverCode(error)})`,
    );
  }
  const db: AppDatabase = {
    name: target.name,
    engine: 'mariadb',
    connection,
    introspect: () => readDatabase((sql, params) => db.query(sql, params), target.name),
    runStatement: (sql) => connection.query(sql),
    async query(sql, params = []) {
      const [result] = await connection.query(sql, params);
      return Array.isArray(result) ? (result as QueryRows) : [];
    },
    async execute(sql, params = []) {
      const [result] = await connection.query<ResultSetHeader>(sql, params);
      return { affectedRows: result.affectedRows, insertId: Number(result.insertId) };
    },
  };
  try {
    await connection.query("SET SESSION time_zone = '+00:00'");
    return await fn(db);
  } finally {
    await connection.end().catch(() => undefined);
  }
};

/** better-sqlite3 binds numbers, strings, bigints, buffers and null: a flag is 1 or 0, as in MariaDB. */
const bindable = (params: readonly unknown[]): unknown[] =>
  params.map((value) => (typeof value === 'boolean' ? Number(value) : value));

/** How long a statement waits for the db service's writer to let go of the file. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * The SQLite side of withAppDatabase: the file opened directly (better-sqlite3; the CLI needs no
 * db service), read-only unless `write`, which also turns foreign keys on as the db service does.
 * A file that is missing or cannot be opened is a CliFailure naming it.
 */
const withSqliteFile = async <T>(
  app: string,
  target: { file: string | null; name: string },
  fn: (db: AppDatabase) => Promise<T>,
  options: OpenOptions,
): Promise<T> => {
  const file = target.file ?? '';
  let handle: Database.Database;
  try {
    handle = new Database(file, {
      readonly: options.write !== true,
      fileMustExist: true,
      timeout: BUSY_TIMEOUT_MS,
    });
    if (options.write === true) handle.pragma('foreign_keys = ON');
  } catch (error) {
    throw new CliFailure(`cannot open SQLite file ${file} of app '${app}' (${driverCode(error)})`);
  }
  const db: AppDatabase = {
    name: target.name,
    engine: 'sqlite',
    query(sql, params = []) {
      const statement = handle.prepare(sql);
      if (!statement.reader) {
        statement.run(...bindable(params));
        return Promise.resolve([]);
      }
      return Promise.resolve(statement.all(...bindable(params)) as QueryRows);
    },
    execute(sql, params = []) {
      const result = handle.prepare(sql).run(...bindable(params));
      return Promise.resolve({ affectedRows: result.changes, insertId: Number(result.lastInsertRowid) });
    },
    introspect: () => readSqliteDatabase((sql, params) => db.query(sql, params), target.name),
    runStatement: (sql) => Promise.resolve(handle.exec(sql)),
  };
  try {
    return await fn(db);
  } finally {
    handle.close();
  }
};
