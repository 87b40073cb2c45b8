import type { DatabaseConfig } from '@sogoms/config';
import mysql, { type Connection, type ResultSetHeader } from 'mysql2/promise';
import { CliFailure } from './cli-context.js';

/** Where an app's database is: app.yaml's `database:` (or one built from a --database-url). */
export type DatabaseTarget = Pick<DatabaseConfig, 'host' | 'port' | 'user' | 'password' | 'name'>;

export type QueryRows = Record<string, unknown>[];

/** What a command gets for the time of `withAppDatabase`. */
export interface AppDatabase {
  /** The database (schema) name, for `TABLE_SCHEMA = ?`. */
  name: string;
  /** A parameterised statement (`?` placeholders): rows for a SELECT, [] for anything else. */
  query(sql: string, params?: unknown[]): Promise<QueryRows>;
  /** A write: affected rows and the insert id. */
  execute(sql: string, params?: unknown[]): Promise<{ affectedRows: number; insertId: number }>;
  /** The mysql2 connection itself, for what the two above do not cover (transactions). */
  connection: Connection;
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
): Promise<T> => {
  const target = app.database;
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
    connection,
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
