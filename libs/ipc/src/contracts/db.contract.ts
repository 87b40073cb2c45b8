import type { RawDatabase } from '@sogoms/schema';

/**
 * The db service's message patterns and payloads. The db service is a plain executor: SQL with
 * `?` placeholders and bound values in, rows or counts out. Errors come back as SogomsError
 * with CONFLICT (duplicate key; details {table, key}), CONSTRAINT (foreign key; details
 * {table, field, references}), VALIDATION_FAILED (too long, null, bad value; details {field}),
 * UNAVAILABLE (server gone), TIMEOUT (statement time limit), NOT_FOUND (unknown app),
 * BAD_REQUEST (malformed payload) or INTERNAL (our SQL is wrong; details {ref}, the cause is in
 * the logs); never SQL text, bound values or a driver message. See docs/db.md.
 */
export const DB_PATTERNS = {
  query: 'db.query',
  queryOne: 'db.query_one',
  transaction: 'db.transaction',
  ping: 'db.ping',
  stats: 'db.stats',
  /** `{app}` → RawDatabase (@sogoms/schema): the app database's tables, columns, keys, indexes. */
  introspect: 'db.introspect',
  /**
   * A MariaDB database that is no app (yet), e.g. one the admin is about to make an app of:
   * DbProbeRequest → DbProbeResult, on one short-lived connection of its own (see docs/db.md).
   */
  probe: 'db.probe',
} as const;

/**
 * A list binds `IN (?)` as `IN (a, b, ...)` (one level, not empty). Over IPC a Date arrives as
 * its ISO string; a Buffer arrives as `{type:'Buffer', data}` and is revived into binary.
 */
export type SqlValue = string | number | boolean | null | Date | Buffer | SqlValue[];
export type Row = Record<string, unknown>;

export interface Statement {
  sql: string;
  params?: SqlValue[];
}

export interface DbStatementRequest extends Statement {
  app: string;
}

export interface InsertResult {
  insert_id: number;
  affected_rows: number;
}

export interface TransactionStatement extends Statement {
  /**
   * The shape of its result: `rows` (default) returns the rows of a SELECT ([] for a write);
   * `write` returns insert_id/affected_rows (zeros for a SELECT).
   */
  kind?: 'rows' | 'write';
}

export interface DbTransactionRequest {
  app: string;
  statements: TransactionStatement[];
}

/** One result per statement, in order: rows for `rows`, InsertResult for `write`. */
export type TransactionResult = (Row[] | InsertResult)[];

export interface DbPingRequest {
  /** Omit to ask only whether the db service itself answers. */
  app?: string;
}

/** The answer to `db.ping`: `app` echoed when one was asked about (its pool ran `SELECT 1`). */
export interface DbPingResult {
  ok: true;
  app?: string;
}

/** `db.introspect`: reads INFORMATION_SCHEMA for the app's own database (answer: RawDatabase). */
export interface DbIntrospectRequest {
  app: string;
}

/** Where a probed database is (MariaDB only: an SQLite file is the caller's own to open). */
export interface DbProbeDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
  name: string;
}

/**
 * `db.probe`: connect (5 s at most), run `statements` in order (DDL such as CREATE TABLE), then
 * read the catalog when `introspect`, and close. Errors: UNAVAILABLE (details {field:'host'}),
 * UNAUTHORIZED ({field:'user'}), NOT_FOUND ({field:'name'}), FORBIDDEN (a statement the user
 * has no right to; {statement}), BAD_REQUEST (malformed payload, or a statement the server
 * rejects; {statement}).
 */
export interface DbProbeRequest {
  database: DbProbeDatabase;
  statements?: string[];
  introspect?: boolean;
}

export interface DbProbeResult {
  ok: true;
  /** `SELECT VERSION()`, e.g. `10.11.6-MariaDB-0+deb12u1`. */
  server_version: string;
  /** The database's catalog, when `introspect` was asked for. */
  raw?: RawDatabase;
}

/** Counters since the db service started; `errors` counts failures on the database side. */
export interface DbStats {
  queries: number;
  slow_queries: number;
  errors: number;
  apps: string[];
  /** One entry per MariaDB server (host:port) the apps' databases live on; SQLite apps are not in it. */
  servers: DbServerStats[];
}

/** The connection budget of one database server (docs/db.md, Budget). */
export interface DbServerStats {
  server: string;
  /** The server's own `max_connections`, once a connection has read it. */
  server_max_connections: number | null;
  /** Connections SOGOMS may hold there now (lower for a while after a 1040). */
  budget: number;
  /** Connections held: in use, idle, or being opened. */
  held: number;
  in_use: number;
  idle: number;
  /** Statements waiting for a connection now. */
  waiting: number;
  /** Waits that ran out (each a 503 with Retry-After). */
  timed_out_waits: number;
  /** Statements refused at once because the queue was full. */
  queue_full: number;
  /** New connections the server refused as too many (1040); each shrank the budget. */
  refused_1040: number;
  apps: number;
}
