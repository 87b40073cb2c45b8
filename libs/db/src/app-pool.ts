import { SogomsError } from '@sogoms/common';
import type { Statement } from '@sogoms/ipc';
import mysql, {
  type Pool,
  type PoolConnection,
  type PoolOptions,
  type ResultSetHeader,
  type RowDataPacket,
} from 'mysql2/promise';
import type { DatabaseInitializer } from './database-initializer.js';
import type { PoolSettings } from './db-settings.js';
import { mapDriverError, type DriverErrorContext, type MappedDriverError } from './driver-error.mapper.js';
import type {
  AppDatabase,
  AppDatabaseState,
  DbSession,
  OpenFailureListener,
  PoolUsage,
  StatementOutcome,
  TransactionStep,
} from './engine/app-database.js';
import { DatabaseLifecycle } from './engine/database-lifecycle.js';
import { mysqlPoolUsage } from './mysql-pool-usage.js';

/** How long the client waits beyond the server's own statement limit before it gives up. */
const CLIENT_TIMEOUT_GRACE_MS = 1_000;

const TRANSACTION_SQL: Record<TransactionStep, string> = {
  begin: 'START TRANSACTION',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
};

const isHeader = (raw: unknown): raw is ResultSetHeader =>
  typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'affectedRows' in raw;

/** One pooled connection as a session. */
class MariaDbSession implements DbSession {
  constructor(
    private readonly connection: PoolConnection,
    readonly statementTimeoutMs: number,
  ) {}

  async query(statement: Statement): Promise<StatementOutcome> {
    // mysql2 `query`: values are escaped client-side, `IN (?)` expands lists (see docs/db.md).
    const [raw] = await this.connection.query({
      sql: statement.sql,
      values: statement.params ?? [],
      timeout: this.statementTimeoutMs + CLIENT_TIMEOUT_GRACE_MS,
    });
    if (isHeader(raw)) return { insertId: Number(raw.insertId), affectedRows: raw.affectedRows };
    return Array.isArray(raw) ? (raw as RowDataPacket[]) : [];
  }

  async control(step: TransactionStep): Promise<void> {
    await this.connection.query({
      sql: TRANSACTION_SQL[step],
      timeout: this.statementTimeoutMs + CLIENT_TIMEOUT_GRACE_MS,
    });
  }
}

/**
 * One app's mysql2 connection pool, opened lazily and reopened after a failed attempt (mysql2
 * directly, not through typeorm: see docs/db.md). Each connection gets its session set once: UTC
 * time zone and a server-side statement time limit.
 */
export class AppPool implements AppDatabase {
  private pool: Pool | null = null;
  private opening: Promise<Pool> | null = null;
  private sessionSql = '';
  private readonly preparedConnections = new WeakSet<object>();
  private readonly life: DatabaseLifecycle;

  constructor(
    readonly settings: PoolSettings,
    private readonly initializer: DatabaseInitializer,
    onOpenFailure: OpenFailureListener = () => undefined,
  ) {
    this.life = new DatabaseLifecycle(settings.app, settings.statementTimeoutMs, (error, first) =>
      onOpenFailure(this, error, first),
    );
  }

  get app(): string {
    return this.settings.app;
  }

  get state(): AppDatabaseState {
    return this.life.state;
  }

  /** Opens the pool (creating and filling the database first when configured). Deduplicated. */
  open(): Promise<Pool> {
    if (this.pool) return Promise.resolve(this.pool);
    const refusal = this.life.refusal();
    if (refusal !== null) return Promise.reject(refusal);
    this.opening ??= this.connect().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  /**
   * Runs `work` on one connection of this pool with its session prepared. The connection goes
   * back to the pool afterwards, or is destroyed when `work` reports it broken.
   */
  async withSession<T>(
    work: (session: DbSession) => Promise<T>,
    isBroken: (error: unknown) => boolean,
  ): Promise<T> {
    return this.life.track(async () => {
      const pool = await this.open();
      const connection = await pool.getConnection();
      let broken = false;
      try {
        await this.prepareSession(connection);
        return await work(new MariaDbSession(connection, this.settings.statementTimeoutMs));
      } catch (error) {
        broken = isBroken(error);
        throw error;
      } finally {
        if (broken) connection.destroy();
        else connection.release();
      }
    });
  }

  mapError(thrown: unknown, context?: DriverErrorContext): MappedDriverError {
    return mapDriverError(thrown, context);
  }

  usage(): PoolUsage | null {
    return this.pool === null ? null : mysqlPoolUsage(this.pool, this.settings.poolSize);
  }

  /**
   * Stops taking work and ends the pool once the statements in flight are done (bounded by the
   * statement time limit, so a reload or shutdown never hangs on a stuck statement).
   */
  async close(): Promise<void> {
    const closing = this.life.closeWhenDrained();
    await this.opening?.catch(() => undefined);
    await closing;
    const pool = this.pool;
    this.pool = null;
    this.life.state = 'closed';
    await pool?.end().catch(() => undefined);
  }

  private async connect(): Promise<Pool> {
    this.life.state = 'opening';
    let pool: Pool | null = null;
    try {
      await this.initializer.ensure(this.settings);
      pool = mysql.createPool(this.poolOptions());
      // The first statement also proves that the server is reachable with these credentials;
      // the server's flavour decides the session SQL.
      const [versionRows] = await pool.query<RowDataPacket[]>({
        sql: 'SELECT VERSION() AS version',
        timeout: this.settings.connectTimeoutMs,
      });
      if (this.life.isClosed) throw new SogomsError('UNAVAILABLE', 'Database is unavailable');
      this.sessionSql = sessionSqlFor(
        String(versionRows[0]?.version ?? ''),
        this.settings.statementTimeoutMs,
      );
      this.pool = pool;
      this.life.opened();
      return pool;
    } catch (error) {
      await pool?.end().catch(() => undefined);
      if (this.life.isClosed) {
        this.life.state = 'closed';
        throw new SogomsError('UNAVAILABLE', 'Database is unavailable');
      }
      throw this.life.openFailed(error);
    }
  }

  /**
   * What typeorm's mariadb driver passed to mysql2 while it created the pool (docs/db.md): the
   * same connection settings, so the values that cross IPC are unchanged; only the unused
   * prepared-statement cache is smaller.
   */
  private poolOptions(): PoolOptions {
    return {
      host: this.settings.host,
      port: this.settings.port,
      user: this.settings.user,
      password: this.settings.password,
      database: this.settings.database,
      connectionLimit: this.settings.poolSize,
      connectTimeout: this.settings.connectTimeoutMs,
      charset: 'utf8mb4_unicode_ci',
      // Values cross IPC as JSON: UTC instants, DATE as 'YYYY-MM-DD', numbers while they are exact.
      timezone: 'Z',
      dateStrings: ['DATE'],
      supportBigNumbers: true,
      bigNumberStrings: false,
      // An object bound to a placeholder becomes its string, never a `key = value` list.
      stringifyObjects: true,
      enableKeepAlive: true,
      // Statements run with `query`, never `execute`: the prepared-statement cache stays empty,
      // yet mysql2 preallocates it, four arrays of this many slots per connection (512 KB at its
      // default of 16,000: 10 MB of heap for two apps of 10 connections).
      maxPreparedStatements: 1,
      // mysql2 captures a stack per query for its errors (~6% of the db service's CPU); errors
      // are mapped to stable codes here and never show a driver stack anyway.
      trace: false,
    };
  }

  /** Once per physical connection: a new one (after a server restart, say) gets it too. */
  private async prepareSession(connection: PoolConnection): Promise<void> {
    if (this.preparedConnections.has(connection.connection)) return;
    await connection.query({ sql: this.sessionSql, timeout: this.settings.connectTimeoutMs });
    this.preparedConnections.add(connection.connection);
  }
}

/**
 * UTC for every session, so DATETIME values and CURRENT_TIMESTAMP mean the same instant
 * everywhere; and a server-side time limit, so a runaway statement is stopped by the server
 * itself (MariaDB: max_statement_time in seconds, MySQL: max_execution_time in ms, SELECT only).
 */
export const sessionSqlFor = (serverVersion: string, statementTimeoutMs: number): string =>
  /mariadb/i.test(serverVersion)
    ? `SET SESSION time_zone = '+00:00', max_statement_time = ${(statementTimeoutMs / 1000).toFixed(3)}`
    : `SET SESSION time_zone = '+00:00', max_execution_time = ${Math.round(statementTimeoutMs)}`;
