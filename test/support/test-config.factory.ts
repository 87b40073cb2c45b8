import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

export interface TestAppSpec {
  name: string;
  hosts: string[];
  database: string;
  secret: string;
  /** Create the database from the demo app's SQL when missing. */
  initFromDemo?: boolean;
  /**
   * `sqlite`: the app's database is the file `var/{name}.sqlite` under the test's folder
   * (`database` names the MariaDB database otherwise). Default mariadb.
   */
  engine?: TestEngine;
  /** Copy the demo app's scenarios. */
  demoScenarios?: boolean;
  /** Written as the app's schema.yaml (the generated REST API serves its tables). */
  schemaYaml?: string;
  /** Copy the demo app's modules folder and use its `modules:` list. */
  demoModules?: boolean;
  /** More top-level app.yaml keys (e.g. `docs: public`), written as given. */
  appYaml?: Record<string, unknown>;
  /** The MariaDB server and login (default: the shared one, 127.0.0.1:3306 as root). */
  server?: { host: string; port: number; user: string; password: string };
  /** `database.pool_size` (default 4). */
  poolSize?: number;
}

export type TestEngine = 'mariadb' | 'sqlite';

/** Where an SQLite test app keeps its file, relative to the config root. */
export const sqliteFileOf = (configRoot: string, app: string): string =>
  join(configRoot, '..', 'var', `${app}.sqlite`);

const databaseSection = (app: TestAppSpec, demo: string): Record<string, unknown> => {
  if (app.engine === 'sqlite') {
    return {
      driver: 'sqlite',
      file: `../var/${app.name}.sqlite`,
      ...(app.initFromDemo === true
        ? { init: [join(demo, 'sql/sqlite/schema.sql'), join(demo, 'sql/seed.sql')] }
        : {}),
    };
  }
  return {
    host: app.server?.host ?? '127.0.0.1',
    port: app.server?.port ?? 3306,
    user: app.server?.user ?? 'root',
    password: app.server?.password ?? '',
    name: app.database,
    pool_size: app.poolSize ?? 4,
    ...(app.initFromDemo === true
      ? { init: [join(demo, 'sql/schema.sql'), join(demo, 'sql/seed.sql')] }
      : {}),
  };
};

export interface TestConfig {
  dir: string;
  configRoot: string;
  runDir: string;
  logDir: string;
  gatewayPort: number;
}

export interface TestConfigOptions {
  /** `transport.kind` (default unix); `inprocess` runs the db module in the gateway, no db service. */
  transport?: 'unix' | 'inprocess';
  /** `gateway.request_log_percent` (default: the product's, 0). */
  requestLogPercent?: number;
  /** More `gateway:` keys of sogoms.yaml (e.g. `trust_proxy`, `rate_limit`). */
  gateway?: Record<string, unknown>;
  /** Run the push service with this sogoms.yaml `push:` section (give free ports). Default: no push service. */
  push?: Record<string, unknown>;
  /** More `db:` keys of sogoms.yaml (e.g. `{max_connections: 20}`), written as given. */
  db?: Record<string, unknown>;
  /** Serve GET /metrics on this port, services reporting every 200 ms; absent: `metrics.enabled: false`. */
  metricsPort?: number;
  /** `gateway.trust_proxy` (default none). */
  trustedProxies?: string[];
  /** Run the admin on this port (127.0.0.1) with these more `admin:` keys. Default: no admin service. */
  admin?: { port: number } & Record<string, unknown>;
}

/**
 * Writes a complete config root in a temp folder: its own run and log dirs, gateway port and
 * apps, so a test stack never touches ./run, ./logs or port 8080.
 */
export const writeTestConfig = (
  gatewayPort: number,
  apps: TestAppSpec[],
  options: TestConfigOptions = {},
): TestConfig => {
  const dir = mkdtempSync(join(tmpdir(), 'sogoms-stack-'));
  const configRoot = join(dir, 'config');
  const runDir = join(dir, 'run');
  const logDir = join(dir, 'logs');
  mkdirSync(configRoot, { recursive: true });
  writeFileSync(
    join(configRoot, 'sogoms.yaml'),
    stringify({
      run_dir: runDir,
      log_dir: logDir,
      transport: { kind: options.transport ?? 'unix' },
      ipc: { timeout_ms: 5000 },
      gateway: {
        host: '127.0.0.1',
        port: gatewayPort,
        body_limit_bytes: 65536,
        ...(options.requestLogPercent === undefined
          ? {}
          : { request_log_percent: options.requestLogPercent }),
        ...(options.trustedProxies === undefined ? {} : { trust_proxy: options.trustedProxies }),
        ...options.gateway,
      },
      ...(options.push === undefined ? {} : { push: options.push }),
      ...(options.db === undefined ? {} : { db: options.db }),
      ...(options.admin === undefined ? {} : { admin: { host: '127.0.0.1', ...options.admin } }),
      // Parallel stacks cannot all have 9464: off unless a test asks for its own port.
      metrics:
        options.metricsPort === undefined
          ? { enabled: false }
          : { host: '127.0.0.1', port: options.metricsPort, report_interval_ms: 200 },
    }),
  );
  const entry = (service: string): string => join(PROJECT_ROOT, `dist/bundle/${service}/main.js`);
  writeFileSync(
    join(configRoot, 'sogoctl.yaml'),
    stringify({
      restart: { initial_delay_ms: 100, max_delay_ms: 1000 },
      services: [
        { name: 'logs', entry: entry('logs'), health: { kind: 'socket' } },
        {
          name: 'db',
          entry: entry('db'),
          depends_on: ['logs'],
          health: { kind: 'socket' },
          reload_signal: 'SIGHUP',
          transports: ['unix', 'nats'],
        },
        {
          name: 'mailer',
          entry: entry('mailer'),
          depends_on: ['logs', 'db'],
          health: { kind: 'socket' },
          reload_signal: 'SIGHUP',
          transports: ['unix', 'nats'],
        },
        ...(options.push === undefined
          ? []
          : [
              {
                name: 'push',
                entry: entry('push'),
                depends_on: ['logs', 'db'],
                health: { kind: 'socket' },
                reload_signal: 'SIGHUP',
                transports: ['unix', 'nats'],
              },
            ]),
        {
          name: 'cron',
          entry: entry('cron'),
          depends_on: ['logs', 'db', 'mailer'],
          health: { kind: 'socket' },
          reload_signal: 'SIGHUP',
          transports: ['unix', 'nats'],
        },
        {
          name: 'gateway',
          entry: entry('gateway'),
          depends_on: ['logs', 'db'],
          health: { kind: 'http', url: `http://127.0.0.1:${gatewayPort}/health` },
          reload_signal: 'SIGHUP',
        },
        ...(options.admin === undefined
          ? []
          : [
              {
                name: 'admin',
                entry: entry('admin'),
                depends_on: ['logs', 'db'],
                health: { kind: 'http', url: `http://127.0.0.1:${options.admin.port}/health` },
                reload_signal: 'SIGHUP',
              },
            ]),
      ],
    }),
  );
  const demo = join(PROJECT_ROOT, 'config/apps/prokov');
  for (const app of apps) {
    const appDir = join(configRoot, 'apps', app.name);
    mkdirSync(appDir, { recursive: true });
    if (app.demoScenarios === true)
      cpSync(join(demo, 'scenarios'), join(appDir, 'scenarios'), { recursive: true });
    if (app.schemaYaml !== undefined) writeFileSync(join(appDir, 'schema.yaml'), app.schemaYaml);
    if (app.demoModules === true) cpSync(join(demo, 'modules'), join(appDir, 'modules'), { recursive: true });
    const demoModules =
      app.demoModules === true
        ? { modules: (parse(readFileSync(join(demo, 'app.yaml'), 'utf8')) as { modules: unknown }).modules }
        : {};
    writeFileSync(
      join(appDir, 'app.yaml'),
      stringify({
        name: app.name,
        version: '1.0.0',
        hosts: app.hosts,
        base_path: '/api',
        database: databaseSection(app, demo),
        auth: { jwt_secret: app.secret, jwt_expires_in: '1h', role_field: 'role' },
        logs: { retention_days: 7 },
        ...demoModules,
        ...app.appYaml,
      }),
    );
  }
  return { dir, configRoot, runDir, logDir, gatewayPort };
};
