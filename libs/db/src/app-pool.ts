import { SogomsError } from '@sogoms/common';
import type { Pool as CallbackPool } from 'mysql2';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { InitScriptError, type DatabaseInitializer } from './database-initializer.js';
import type { PoolSettings } from './db-settings.js';

/**
 * closed: not opened yet or closed; opening: connecting (and initialising) right now;
 * open: the pool exists (mysql2 replaces dead connections by itself from here on);
 * down: the last attempt could not reach the server, the next call or retry tries again;
 * failed: an init script failed, nothing is retried until the configuration is reloaded.
 */
export type AppPoolState = 'closed' | 'opening' | 'open' | 'down' | 'failed';

/** What an open app pool hands to the code that runs statements. */
export interface PooledSession {
  connection: PoolConnection;
  statementTimeoutMs: number;
}

/**
 * Told when an attempt to open fails; `first` is false while the failures repeat (retries),
 * so that an outage is reported once, not every few seconds.
 */
export type OpenFailureListener = (pool: AppPool, error: unknown, first: boolean) => void;

/** The part of typeorm's MysqlDriver we rely on (its typings say `any`). */
interface MysqlDriverInternals {
  pool?: CallbackPool;
}

/** Bounds how long close() waits for statements in flight before ending the pool anyway. */
const CLOSE_GRACE_EXTRA_MS = 1_000;

/**
 * One app's connection pool: a typeorm DataSource (mysql2 underneath) that owns the pool's life,
 * opened lazily and reopened after a failed attempt. Statements run on the mysql2 pool directly
 * (see docs/db.md). Each connection gets its session set once: UTC time zone and a server-side
 * statement time limit.
 */
export class AppPool {
  private dataSource: DataSource | null = null;
  private pool: Pool | null = null;
  private opening: Promise<Pool> | null = null;
  private failure: InitScriptError | null = null;
  private closed = false;
  private failedAttempts = 0;
  private inFlight = 0;
  private drained: (() => void) | null = null;
  private sessionSql = '';
  private readonly preparedConnections = new WeakSet<object>();
  state: AppPoolState = 'closed';

  constructor(
    readonly settings: PoolSettings,
    private readonly initializer: DatabaseInitializer,
    private readonly onOpenFailure: OpenFailureListener = () => undefined,
  ) {}

  get app(): string {
    return this.settings.app;
  }

  /** Opens the pool (creating and filling the database first when configured). Deduplicated. */
  open(): Promise<Pool> {
    if (this.pool) return Promise.resolve(this.pool);
    if (this.closed) return Promise.reject(new SogomsError('UNAVAILABLE', 'Database is unavailable'));
    if (this.failure) {
      return Promise.reject(
        new SogomsError('UNAVAILABLE', `Database of app '${this.app}' could not be initialised`),
      );
    }
    this.opening ??= this.connect().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  /**
   * Runs `work` on one connection of this pool with its session prepared. The connection goes
   * back to the pool afterwards, or is destroyed when `work` reports it broken.
   */
  async withConnection<T>(
    work: (session: PooledSession) => Promise<T>,
    isBroken: (error: unknown) => boolean,
  ): Promise<T> {
    this.inFlight++;
    try {
      const pool = await this.open();
      const connection = await pool.getConnection();
      let broken = false;
      try {
        await this.prepareSession(connection);
        return await work({ connection, statementTimeoutMs: this.settings.statementTimeoutMs });
      } catch (error) {
        broken = isBroken(error);
        throw error;
      } finally {
        if (broken) connection.destroy();
        else connection.release();
      }
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.drained?.();
    }
  }

  /**
   * Stops taking work and ends the pool once the statements in flight are done (bounded by the
   * statement time limit, so a reload or shutdown never hangs on a stuck statement).
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.opening?.catch(() => undefined);
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.settings.statementTimeoutMs + CLOSE_GRACE_EXTRA_MS);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const dataSource = this.dataSource;
    this.dataSource = null;
    this.pool = null;
    this.state = 'closed';
    if (dataSource?.isInitialized) await dataSource.destroy().catch(() => undefined);
  }

  private async connect(): Promise<Pool> {
    this.state = 'opening';
    let dataSource: DataSource | null = null;
    try {
      await this.initializer.ensure(this.settings);
      dataSource = this.createDataSource();
      await dataSource.initialize();
      const driver = dataSource.driver as unknown as MysqlDriverInternals;
      if (!driver.pool) throw new Error('typeorm did not create a mysql2 pool');
      const pool = driver.pool.promise();
      // typeorm keeps only the number of the version; the server's flavour decides the session SQL.
      const [versionRows] = await pool.query<RowDataPacket[]>({
        sql: 'SELECT VERSION() AS version',
        timeout: this.settings.connectTimeoutMs,
      });
      if (this.closed) throw new SogomsError('UNAVAILABLE', 'Database is unavailable');
      this.sessionSql = sessionSqlFor(
        String(versionRows[0]?.version ?? ''),
        this.settings.statementTimeoutMs,
      );
      this.dataSource = dataSource;
      this.pool = pool;
      this.state = 'open';
      this.failedAttempts = 0;
      return pool;
    } catch (error) {
      if (dataSource?.isInitialized) await dataSource.destroy().catch(() => undefined);
      if (this.closed) {
        this.state = 'closed';
        throw new SogomsError('UNAVAILABLE', 'Database is unavailable');
      }
      this.failedAttempts++;
      if (error instanceof InitScriptError) {
        this.failure = error;
        this.state = 'failed';
      } else {
        this.state = 'down';
      }
      this.onOpenFailure(this, error, this.failedAttempts === 1);
      throw error instanceof InitScriptError
        ? new SogomsError('UNAVAILABLE', `Database of app '${this.app}' could not be initialised`)
        : error;
    }
  }

  private createDataSource(): DataSource {
    return new DataSource({
      type: 'mariadb',
      host: this.settings.host,
      port: this.settings.port,
      username: this.settings.user,
      password: this.settings.password,
      database: this.settings.database,
      poolSize: this.settings.poolSize,
      connectTimeout: this.settings.connectTimeoutMs,
      charset: 'utf8mb4_unicode_ci',
      // Values cross IPC as JSON: UTC instants, DATE as 'YYYY-MM-DD', numbers while they are exact.
      timezone: 'Z',
      dateStrings: ['DATE'],
      supportBigNumbers: true,
      bigNumberStrings: false,
      entities: [],
      synchronize: false,
      logging: false,
      // trace: mysql2 captures a stack per query for its errors (~6% of the db service's CPU);
      // errors are mapped to stable codes here and never show a driver stack anyway.
      extra: { enableKeepAlive: true, trace: false },
    });
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
