import { SogomsError } from '@sogoms/common';
import type { Statement } from '@sogoms/ipc';
import mysql, {
  type Connection,
  type ConnectionOptions,
  type ResultSetHeader,
  type RowDataPacket,
} from 'mysql2/promise';
import type { BudgetMember, ServerBudget } from './budget/server-budget.js';
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

/** How long the client waits beyond the server's own statement limit before it gives up. */
const CLIENT_TIMEOUT_GRACE_MS = 1_000;

const TRANSACTION_SQL: Record<TransactionStep, string> = {
  begin: 'START TRANSACTION',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
};

const isHeader = (raw: unknown): raw is ResultSetHeader =>
  typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'affectedRows' in raw;

/** One connection as a session. */
class MariaDbSession implements DbSession {
  constructor(
    private readonly connection: Connection,
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

/** MariaDB's ER_CON_COUNT_ERROR: the server has no connection left for anyone. */
const TOO_MANY_CONNECTIONS = 1040;
/** After a 1040, how long before the next try (the wait goes on meanwhile). */
const REFUSED_BACKOFF_MS = 50;

const isTooManyConnections = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { errno?: unknown }).errno === TOO_MANY_CONNECTIONS;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One physical connection, the app that holds it now and where it is. */
export class PooledConnection {
  /** `moving`: being opened, or passed from one app to another. */
  place: 'moving' | 'busy' | 'idle' | 'closed' = 'moving';
  dead = false;
  lastUsed = 0;
  /** The session's current database and session SQL (an app of the same login may take it over). */
  database = '';
  session = '';

  constructor(
    readonly raw: Connection,
    public owner: AppPool,
  ) {}
}

/**
 * One app's MariaDB connections: opened lazily under its server's connection budget (shared with
 * every app on that server, see docs/db.md), kept idle for reuse, given up when another app waits.
 * mysql2 connections, not mysql2's pool: the budget must decide before each new connection and
 * close idle ones on demand, which mysql2's pool has no hook for. Each connection gets its
 * session set once: UTC time zone and a server-side statement time limit.
 */
export class AppPool implements AppDatabase, BudgetMember<PooledConnection> {
  private isOpen = false;
  private opening: Promise<void> | null = null;
  private sessionSql = '';
  private readonly idle: PooledConnection[] = [];
  private busy = 0;
  private readonly life: DatabaseLifecycle;

  constructor(
    readonly settings: PoolSettings,
    private readonly initializer: DatabaseInitializer,
    private readonly budget: ServerBudget<PooledConnection>,
    onOpenFailure: OpenFailureListener = () => undefined,
  ) {
    this.life = new DatabaseLifecycle(settings.app, settings.statementTimeoutMs, (error, first) =>
      onOpenFailure(this, error, first),
    );
    budget.join(this);
  }

  get app(): string {
    return this.settings.app;
  }

  get state(): AppDatabaseState {
    return this.life.state;
  }

  get login(): string {
    return JSON.stringify([this.settings.user, this.settings.password]);
  }

  get ceiling(): number {
    return this.settings.poolSize;
  }

  get inUse(): number {
    return this.busy;
  }

  get idleCount(): number {
    return this.idle.length;
  }

  /** Opens (creating and filling the database first when configured): one connection proves it. Deduplicated. */
  open(): Promise<void> {
    if (this.isOpen) return Promise.resolve();
    const refusal = this.life.refusal();
    if (refusal !== null) return Promise.reject(refusal);
    this.opening ??= this.connect().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  /**
   * Runs `work` on one connection with its session prepared, waiting for one under the budget.
   * The connection is kept (or handed to a waiter) afterwards, or closed when `work` reports it
   * broken.
   */
  async withSession<T>(
    work: (session: DbSession) => Promise<T>,
    isBroken: (error: unknown) => boolean,
  ): Promise<T> {
    return this.life.track(async () => {
      await this.open();
      const connection = await this.acquire();
      let broken = false;
      try {
        return await work(new MariaDbSession(connection.raw, this.settings.statementTimeoutMs));
      } catch (error) {
        broken = isBroken(error);
        throw error;
      } finally {
        this.release(connection, broken);
      }
    });
  }

  mapError(thrown: unknown, context?: DriverErrorContext): MappedDriverError {
    return mapDriverError(thrown, context);
  }

  usage(): PoolUsage {
    return {
      open: this.busy + this.idle.length,
      inUse: this.busy,
      limit: this.settings.poolSize,
      waiting: this.budget.waitingOf(this),
    };
  }

  /**
   * Stops taking work and closes the connections once the statements in flight are done
   * (bounded by the statement time limit, so a reload or shutdown never hangs on a stuck
   * statement); each closed connection frees its slot for the other apps.
   */
  async close(): Promise<void> {
    const closing = this.life.closeWhenDrained();
    await this.opening?.catch(() => undefined);
    await closing;
    this.isOpen = false;
    this.life.state = 'closed';
    this.budget.leave(this);
    await Promise.all(this.idle.splice(0).map((connection) => this.end(connection)));
  }

  evictIdle(): boolean {
    // The least recently used: the one the app is least likely to want back soon.
    const connection = this.idle.shift();
    if (connection === undefined) return false;
    void this.end(connection);
    return true;
  }

  takeIdle(): PooledConnection | undefined {
    const connection = this.idle.shift();
    if (connection !== undefined) connection.place = 'moving';
    return connection;
  }

  closeIdleOlderThan(ms: number, keep: number): void {
    const before = Date.now() - ms;
    while (this.idle.length > keep && this.idle[0].lastUsed < before) void this.end(this.idle.shift()!);
  }

  private async connect(): Promise<void> {
    this.life.state = 'opening';
    try {
      await this.initializer.ensure(this.settings);
      // A connection (new, so the server and these credentials answer) proves the database is there.
      const connection = await this.acquire(this.settings.connectTimeoutMs);
      this.release(connection, false);
      if (this.life.isClosed) throw new SogomsError('UNAVAILABLE', 'Database is unavailable');
      this.isOpen = true;
      this.life.opened();
    } catch (error) {
      if (this.life.isClosed) {
        this.life.state = 'closed';
        throw new SogomsError('UNAVAILABLE', 'Database is unavailable');
      }
      throw this.life.openFailed(error);
    }
  }

  /**
   * A connection for one session: an idle one of this app, else one within the budget (waiting
   * for it when the server's budget is spent). A 1040 shrinks the budget and the wait goes on.
   */
  private async acquire(timeoutMs = this.budget.acquireTimeoutMs): Promise<PooledConnection> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const idle = this.idle.pop();
      if (idle !== undefined) return this.use(idle);
      const grant = await this.budget.acquire(this, deadline - Date.now());
      if (grant.connection !== null) return this.use(await this.takeOver(grant.connection));
      try {
        return this.use(await this.newConnection());
      } catch (error) {
        this.budget.freed(this);
        if (!isTooManyConnections(error) || this.life.isClosed) throw error;
        this.budget.refused();
        await sleep(Math.max(0, Math.min(REFUSED_BACKOFF_MS, deadline - Date.now())));
      }
    }
  }

  private use(connection: PooledConnection): PooledConnection {
    connection.place = 'busy';
    this.busy++;
    return connection;
  }

  private release(connection: PooledConnection, broken: boolean): void {
    this.busy--;
    if (broken || connection.dead || this.life.isClosed) {
      connection.place = 'closed';
      connection.raw.destroy();
      this.budget.freed(this);
      return;
    }
    const outcome = this.budget.release(this, connection);
    if (outcome === 'handed') return;
    if (outcome === 'close') {
      void this.end(connection);
      return;
    }
    connection.place = 'idle';
    connection.lastUsed = Date.now();
    this.idle.push(connection);
  }

  /** Closes a connection that is not in use and frees its slot once the server has been told. */
  private async end(connection: PooledConnection): Promise<void> {
    connection.place = 'closed';
    await connection.raw.end().catch(() => connection.raw.destroy());
    this.budget.freed(this);
  }

  /**
   * A connection handed over by the budget, maybe from another app of the same login: it now
   * belongs to this one and gets its database and session. One that fails is closed (its slot
   * freed) and the error goes to the caller.
   */
  private async takeOver(connection: PooledConnection): Promise<PooledConnection> {
    connection.owner = this;
    try {
      await this.prepare(connection);
      return connection;
    } catch (error) {
      connection.dead = true;
      connection.place = 'closed';
      connection.raw.destroy();
      this.budget.freed(this);
      throw error;
    }
  }

  /** The server dropped a connection: an idle one is forgotten at once (an in-use one on release). */
  connectionLost(connection: PooledConnection): void {
    if (connection.dead) return;
    connection.dead = true;
    if (connection.place !== 'idle') return;
    this.idle.splice(this.idle.indexOf(connection), 1);
    connection.place = 'closed';
    connection.raw.destroy();
    this.budget.freed(this);
  }

  private async newConnection(): Promise<PooledConnection> {
    const raw = await mysql.createConnection(this.connectionOptions());
    const connection = new PooledConnection(raw, this);
    connection.database = this.settings.database;
    // The connection may pass to another app later: its owner at the time hears of the loss.
    raw.on('error', () => connection.owner.connectionLost(connection));
    raw.on('end', () => connection.owner.connectionLost(connection));
    try {
      await this.prepare(connection);
      return connection;
    } catch (error) {
      connection.dead = true;
      raw.destroy();
      throw error;
    }
  }

  /** This app's database and session on `connection`, set only where they differ. */
  private async prepare(connection: PooledConnection): Promise<void> {
    const timeout = this.settings.connectTimeoutMs;
    if (this.sessionSql === '') {
      // The first connection also reads the server's flavour (for the session SQL) and limit.
      const [rows] = await connection.raw.query<RowDataPacket[]>({
        sql: 'SELECT VERSION() AS version, @@max_connections AS max_connections',
        timeout,
      });
      this.budget.learnServerMax(Number(rows[0]?.max_connections));
      this.sessionSql = sessionSqlFor(String(rows[0]?.version ?? ''), this.settings.statementTimeoutMs);
    }
    if (connection.database !== this.settings.database) {
      await connection.raw.query({ sql: `USE ${mysql.escapeId(this.settings.database)}`, timeout });
      connection.database = this.settings.database;
    }
    if (connection.session !== this.sessionSql) {
      await connection.raw.query({ sql: this.sessionSql, timeout });
      connection.session = this.sessionSql;
    }
  }

  /**
   * What typeorm's mariadb driver passed to mysql2 (docs/db.md): the same connection settings,
   * so the values that cross IPC are unchanged; only the unused prepared-statement cache is smaller.
   */
  private connectionOptions(): ConnectionOptions {
    return {
      host: this.settings.host,
      port: this.settings.port,
      user: this.settings.user,
      password: this.settings.password,
      database: this.settings.database,
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
