import type { AppConfig, GlobalConfig } from '@sogoms/config';

/** Everything the db service needs from the global configuration, with derived timeouts. */
export interface DbSettings {
  /** Statements at least this slow are counted and reported as `slow_query`. */
  slowQueryMs: number;
  /** How often apps whose database could not be reached at start are retried. */
  openRetryMs: number;
  /**
   * The default statement time limit. It stays below the IPC call timeout so that the caller
   * hears TIMEOUT from the db service (and the server stops the statement) before its own call
   * gives up.
   */
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  /** The connection budget of each database server (docs/db.md, Budget). */
  budget: BudgetSettings;
}

/** `db.max_connections`, `db.acquire_timeout_ms`, `db.max_waiting` of sogoms.yaml. */
export interface BudgetSettings {
  /** Null: derived from the server's own `max_connections` when the first connection is made. */
  maxConnections: number | null;
  /** Kept below the IPC call timeout, so the caller hears the 503 before its own call gives up. */
  acquireTimeoutMs: number;
  maxWaiting: number;
}

/** One app's pool settings: what the pool is rebuilt for when any of it changes. */
export interface PoolSettings {
  app: string;
  driver: 'mariadb' | 'sqlite';
  /** sqlite: the database file (absolute); null for mariadb. */
  file: string | null;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  poolSize: number;
  init: string[];
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}

/**
 * Optional per-app keys (`database.connect_timeout_ms`, `database.statement_timeout_ms`).
 * Read when the config loader provides them; otherwise the global defaults apply.
 */
interface DatabaseTimeouts {
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_OPEN_RETRY_MS = 5_000;
/** Head room left to the IPC round trip and the caller's own work. */
const IPC_MARGIN_MS = 500;

export const dbSettingsFrom = (global: GlobalConfig): DbSettings => ({
  slowQueryMs: global.db.slowQueryMs,
  openRetryMs: DEFAULT_OPEN_RETRY_MS,
  statementTimeoutMs: Math.max(100, global.ipc.timeoutMs - IPC_MARGIN_MS),
  connectTimeoutMs: Math.min(DEFAULT_CONNECT_TIMEOUT_MS, Math.max(100, global.ipc.timeoutMs - IPC_MARGIN_MS)),
  budget: {
    maxConnections: global.db.maxConnections,
    acquireTimeoutMs: Math.min(global.db.acquireTimeoutMs, Math.max(1, global.ipc.timeoutMs - IPC_MARGIN_MS)),
    maxWaiting: global.db.maxWaiting,
  },
});

export const poolSettingsFrom = (app: AppConfig, settings: DbSettings): PoolSettings => {
  const db = app.database as AppConfig['database'] & DatabaseTimeouts;
  return {
    app: app.name,
    driver: db.driver,
    file: db.file,
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.name,
    poolSize: db.poolSize,
    init: [...db.init],
    connectTimeoutMs: db.connectTimeoutMs ?? settings.connectTimeoutMs,
    statementTimeoutMs: db.statementTimeoutMs ?? settings.statementTimeoutMs,
  };
};

/** Two settings describe the same pool when every field is equal (order of init files matters). */
export const samePoolSettings = (a: PoolSettings, b: PoolSettings): boolean =>
  JSON.stringify(a) === JSON.stringify(b);
