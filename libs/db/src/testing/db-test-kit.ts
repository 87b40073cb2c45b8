import { randomBytes } from 'node:crypto';
import type { AppConfig, GlobalConfig } from '@sogoms/config';
import { AUTH_DEFAULTS } from '@sogoms/config/testing';
import { LogReporter, type LogEntry } from '@sogoms/ipc';
import mysql from 'mysql2/promise';
import { DatabaseInitializer } from '../database-initializer.js';
import { DbCounters } from '../db-counters.js';
import { dbSettingsFrom, type DbSettings } from '../db-settings.js';
import { DbService } from '../db.service.js';
import { PoolRegistry } from '../pool-registry.js';

/** The real MariaDB of this machine; tests create and drop their own databases on it. */
export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

/** `sogoms_test_db_<label>_<random>`: unique per run, recognisable, safe to drop. */
export const testDatabaseName = (label: string): string =>
  `sogoms_test_db_${label}_${randomBytes(4).toString('hex')}`;

export const testGlobalConfig = (
  overrides: { slowQueryMs?: number; ipcTimeoutMs?: number; db?: Partial<GlobalConfig['db']> } = {},
): GlobalConfig => ({
  root: '/nonexistent',
  runDir: '/nonexistent/run',
  logDir: '/nonexistent/logs',
  transport: { kind: 'unix' },
  ipc: { timeoutMs: overrides.ipcTimeoutMs ?? 5000, maxFrameBytes: 16 * 1024 * 1024 },
  logLevel: 'info',
  gateway: {
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: 1024 * 1024,
    requestLogPercent: 0,
    trustProxy: [],
    rateLimit: { enabled: false, requests: 600, windowS: 60 },
  },
  admin: { host: '127.0.0.1', port: 0, sessionIdleS: 1800, sessionAbsoluteS: 43200, trustProxy: [] },
  push: { broker: 'embedded', host: '127.0.0.1', port: 0, wsPort: 0, retentionHours: 24, external: null },
  db: {
    slowQueryMs: overrides.slowQueryMs ?? 500,
    maxConnections: null,
    acquireTimeoutMs: 2000,
    maxWaiting: 1000,
    ...overrides.db,
  },
  metrics: { enabled: false, host: '127.0.0.1', port: 9464, reportIntervalMs: 5000 },
});

/** Where a test app's database lives (default: the shared MARIADB). */
export interface TestDbServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface TestAppOptions {
  port?: number;
  /** Another server (a scratch one of the test's own); `port` still wins when given. */
  server?: TestDbServer;
  init?: string[];
  poolSize?: number;
}

export const testAppConfig = (name: string, database: string, options: TestAppOptions = {}): AppConfig => ({
  name,
  version: '1.0.0',
  hosts: [`${name}.localhost`],
  basePath: '/api',
  dir: '/nonexistent',
  database: {
    driver: 'mariadb',
    file: null,
    fallback: null,
    host: options.server?.host ?? MARIADB.host,
    port: options.port ?? options.server?.port ?? MARIADB.port,
    user: options.server?.user ?? MARIADB.user,
    password: options.server?.password ?? MARIADB.password,
    name: database,
    poolSize: options.poolSize ?? 4,
    init: options.init ?? [],
  },
  auth: {
    jwtSecret: 'x'.repeat(32),
    jwtExpiresInS: 3600,
    usersTable: 'users',
    idField: 'id',
    loginField: 'email',
    passwordField: 'password_hash',
    roleField: 'role',
    ...AUTH_DEFAULTS,
  },
  logs: { retentionDays: 14 },
  idempotency: { retentionS: 86400 },
  docs: 'private',
  modules: [],
  smtp: null,
  push: null,
  timezone: 'UTC',
  imap: null,
});

/** An app on an SQLite file (`driver: sqlite`), otherwise as `testAppConfig`. */
export const testSqliteAppConfig = (name: string, file: string, options: TestAppOptions = {}): AppConfig => {
  const app = testAppConfig(name, name, options);
  return { ...app, database: { ...app.database, driver: 'sqlite', file } };
};

/** A LogReporter whose entries stay in memory (the logs service is not part of these tests). */
export class RecordedLogs {
  readonly entries: { pattern: string; entry: LogEntry }[] = [];
  readonly reporter = new LogReporter(
    { emit: (pattern, entry) => this.entries.push({ pattern, entry: entry as LogEntry }) },
    'db',
  );

  ofKind(kind: string): LogEntry[] {
    return this.entries.filter((e) => e.entry.kind === kind).map((e) => e.entry);
  }
}

export interface DbHarness {
  service: DbService;
  registry: PoolRegistry;
  counters: DbCounters;
  logs: RecordedLogs;
  settings: DbSettings;
  close(): Promise<void>;
}

/** A DbService over real pools for `apps`, opened as at service start. */
export const startDbHarness = async (
  apps: AppConfig[],
  global: GlobalConfig = testGlobalConfig(),
  settingsOverrides: Partial<DbSettings> = {},
): Promise<DbHarness> => {
  const logs = new RecordedLogs();
  const counters = new DbCounters();
  const settings = { ...dbSettingsFrom(global), ...settingsOverrides };
  const registry = new PoolRegistry(settings, new DatabaseInitializer(), logs.reporter);
  await registry.apply(settings, apps);
  return {
    service: new DbService(registry, counters, logs.reporter),
    registry,
    counters,
    logs,
    settings,
    close: () => registry.close(),
  };
};

/** A direct connection for arranging and checking data behind the service's back. */
export const adminConnection = (database?: string): Promise<mysql.Connection> =>
  mysql.createConnection({ ...MARIADB, database, multipleStatements: true });

export const dropDatabases = async (names: string[]): Promise<void> => {
  const connection = await adminConnection();
  try {
    for (const name of names) await connection.query(`DROP DATABASE IF EXISTS ${mysql.escapeId(name)}`);
  } finally {
    await connection.end();
  }
};

export const databaseExists = async (name: string): Promise<boolean> => {
  const connection = await adminConnection();
  try {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [name],
    );
    return rows.length > 0;
  } finally {
    await connection.end();
  }
};

/** Runs `work` and returns what it rejected with (fails the test if it resolves). */
export const rejectionOf = async (work: Promise<unknown>): Promise<unknown> => {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
};
