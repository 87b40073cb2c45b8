import type { Row, Statement } from '@sogoms/ipc';
import type { PoolSettings } from '../db-settings.js';
import type { DriverErrorContext, MappedDriverError } from '../driver-error.mapper.js';

/**
 * closed: not opened yet or closed; opening: connecting (and initialising) right now;
 * open: ready (a MariaDB pool replaces dead connections by itself from here on);
 * down: the last attempt could not reach the database, the next call or retry tries again;
 * failed: an init script failed, nothing is retried until the configuration is reloaded.
 */
export type AppDatabaseState = 'closed' | 'opening' | 'open' | 'down' | 'failed';

/** What a write reports, whatever the engine. */
export interface WriteOutcome {
  insertId: number;
  affectedRows: number;
}

/** Rows for a statement that reads, the write's outcome for one that does not. */
export type StatementOutcome = Row[] | WriteOutcome;

export type TransactionStep = 'begin' | 'commit' | 'rollback';

/** One connection's worth of work, handed out by `AppDatabase.withSession`. */
export interface DbSession {
  /** The statement's own time limit (the engine stops it, or the client gives up soon after). */
  readonly statementTimeoutMs: number;
  query(statement: Statement): Promise<StatementOutcome>;
  /** Transaction control; an engine picks its own form (SQLite: `BEGIN IMMEDIATE`). */
  control(step: TransactionStep): Promise<void>;
}

/** A connection pool's state right now (metrics). */
export interface PoolUsage {
  /** Connections open, busy or idle, and the pool's limit. */
  open: number;
  inUse: number;
  limit: number;
  /** Callers waiting for a connection. */
  waiting: number;
}

/** Told when an attempt to open fails; `first` is false while the failures repeat (retries). */
export type OpenFailureListener = (database: AppDatabase, error: unknown, first: boolean) => void;

/**
 * One app's database, whatever the engine: the db service runs statements through it and never
 * branches on the engine. Implementations: `AppPool` (MariaDB/MySQL over mysql2) and
 * `SqliteDatabase` (a file, through better-sqlite3).
 */
export interface AppDatabase {
  readonly settings: PoolSettings;
  readonly app: string;
  readonly state: AppDatabaseState;
  /** Opens (creating and filling the database first when configured). Deduplicated. */
  open(): Promise<unknown>;
  /** Stops taking work and closes once the work in flight is done (bounded). */
  close(): Promise<void>;
  /** Runs `work` on one session; a session `isBroken` reports broken is never reused. */
  withSession<T>(work: (session: DbSession) => Promise<T>, isBroken: (error: unknown) => boolean): Promise<T>;
  /** The engine's errors as stable codes (the only place that reads them). */
  mapError(thrown: unknown, context?: DriverErrorContext): MappedDriverError;
  /** The pool's connections right now; null for an engine without a pool (SQLite) or before it opens. */
  usage(): PoolUsage | null;
}

export const isWriteOutcome = (outcome: StatementOutcome): outcome is WriteOutcome => !Array.isArray(outcome);
