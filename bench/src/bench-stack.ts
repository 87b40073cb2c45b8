import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SUPERVISOR_NODE_ARGS } from '@sogoms/config';
import { parse, parseDocument, stringify } from 'yaml';
import { cliFailure, runSogoms, sogomsHasCommand } from './cli-runner.js';
import { describeAnswer, freePort, httpCall, waitFor } from './http-call.js';
import { databaseUrl, withConnection, type MysqlServer } from './mysql-server.js';
import { distPath, PROJECT_ROOT } from './project-root.js';

/** A config root of its own in a temp folder: run dir, log dir and gateway port never collide with a real stack. */
export interface BenchConfig {
  dir: string;
  configRoot: string;
  runDir: string;
  logDir: string;
  gatewayPort: number;
  /** node options of the supervisor process itself (`--node-args ctl=...`); the services' are in sogoctl.yaml. */
  ctlNodeArgs: string[];
}

/** What the harness needs to call an app of the stack. */
export interface BenchApp {
  name: string;
  host: string;
  basePath: string;
  database: string;
  poolSize: number;
  /** How the app was brought in, for the report (e.g. "app create", or why a fallback was used). */
  how: string[];
}

/**
 * A service entry that records a V8 CPU profile of the service (`--cpu-prof` is refused in
 * NODE_OPTIONS and the supervisor passes no node flags): starts the in-process profiler, loads
 * the real entry, writes `{dir}/{service}.{pid}.cpuprofile` when the process exits.
 */
const profiledEntry = (dir: string, service: string, entry: string): string => {
  const file = join(dir, `profiled-${service}.mjs`);
  writeFileSync(
    file,
    [
      "import { writeFileSync } from 'node:fs';",
      "import { Session } from 'node:inspector';",
      'const session = new Session();',
      'session.connect();',
      "session.post('Profiler.enable');",
      "session.post('Profiler.start');",
      // An in-thread session answers synchronously, so the profile is written before the exit.
      'let written = false;',
      'const write = () => {',
      '  if (written) return;',
      '  written = true;',
      "  session.post('Profiler.stop', (error, result) => {",
      `    if (!error) writeFileSync(${JSON.stringify(dir)} + '/${service}.' + process.pid + '.cpuprofile', JSON.stringify(result.profile));`,
      '  });',
      '};',
      "process.on('exit', write);",
      // Nest re-raises SIGTERM after its shutdown hooks, and a process killed by a signal has no
      // 'exit' event: write on SIGTERM, then step aside (re-raise when no one else handles it).
      'const onTerm = () => {',
      "  process.removeListener('SIGTERM', onTerm);",
      '  write();',
      "  if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');",
      '};',
      "process.prependListener('SIGTERM', onTerm);",
      `await import(${JSON.stringify(pathToFileURL(entry).href)});`,
      '',
    ].join('\n'),
  );
  return file;
};

export const writeBenchConfig = async (
  gatewayPort: number,
  label: string,
  options: {
    cpuProfileDir?: string;
    transport?: 'unix' | 'inprocess';
    /** node options per process (`ctl` = the supervisor) instead of the supervisor's defaults. */
    nodeArgs?: Readonly<Record<string, string[]>>;
    /** The gateway's request_log_percent; absent: the default. */
    requestLogPercent?: number | null;
    /** The push service's MQTT ports (it runs in every stack, as for a user; free ports per stack). */
    push?: { port: number; wsPort: number };
    /** false: `metrics.enabled: false`. Default on, as for a user, on a free port of the stack's own. */
    metrics?: boolean;
  } = {},
): Promise<BenchConfig> => {
  const metricsPort = options.metrics === false ? null : await freePort();
  const adminPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `sogoms-bench-${label}-`));
  const config: BenchConfig = {
    dir,
    configRoot: join(dir, 'config'),
    runDir: join(dir, 'run'),
    logDir: join(dir, 'logs'),
    gatewayPort,
    // As `npm start` runs it.
    ctlNodeArgs: options.nodeArgs?.ctl ?? [...SUPERVISOR_NODE_ARGS],
  };
  mkdirSync(join(config.configRoot, 'apps'), { recursive: true });
  writeFileSync(
    join(config.configRoot, 'sogoms.yaml'),
    stringify({
      run_dir: config.runDir,
      log_dir: config.logDir,
      transport: { kind: options.transport ?? 'unix' },
      ipc: { timeout_ms: 5000 },
      gateway: {
        host: '127.0.0.1',
        port: gatewayPort,
        body_limit_bytes: 1048576,
        ...(options.requestLogPercent == null ? {} : { request_log_percent: options.requestLogPercent }),
      },
      // The admin runs idle in every stack, as for a user; its RSS is in the memory table.
      admin: { host: '127.0.0.1', port: adminPort },
      // A bench run must not spam the logs with slow-query reports of a loaded machine.
      db: { slow_query_ms: 2000 },
      // The default interval; the port is the stack's own (stacks run side by side, and 9464 may be a user's).
      metrics: metricsPort === null ? { enabled: false } : { host: '127.0.0.1', port: metricsPort },
      ...(options.push === undefined
        ? {}
        : { push: { host: '127.0.0.1', port: options.push.port, ws_port: options.push.wsPort } }),
    }),
  );
  const nodeArgs = options.nodeArgs ?? {};
  const service = (name: string, extra: Record<string, unknown>): Record<string, unknown> => ({
    name,
    entry:
      options.cpuProfileDir === undefined
        ? distPath(`bundle/${name}/main.js`)
        : profiledEntry(options.cpuProfileDir, name, distPath(`bundle/${name}/main.js`)),
    ...extra,
    // Absent: the supervisor's defaults per service, as for a user's project.
    ...(nodeArgs[name] === undefined ? {} : { node_args: nodeArgs[name] }),
  });
  writeFileSync(
    join(config.configRoot, 'sogoctl.yaml'),
    stringify({
      restart: { initial_delay_ms: 200, max_delay_ms: 2000 },
      services: [
        service('logs', { health: { kind: 'socket' } }),
        service('db', {
          depends_on: ['logs'],
          health: { kind: 'socket' },
          reload_signal: 'SIGHUP',
          // With transport inprocess the gateway runs the db module: no db service.
          transports: ['unix', 'nats'],
        }),
        // The stack as a user runs it: the mailer too (idle here; its RSS is in the memory table).
        service('mailer', {
          depends_on: ['logs', 'db'],
          health: { kind: 'socket' },
          reload_signal: 'SIGHUP',
          // It reaches its queue through the db service, which inprocess has not.
          transports: ['unix', 'nats'],
        }),
        ...(options.push === undefined
          ? []
          : [
              service('push', {
                depends_on: ['logs', 'db'],
                health: { kind: 'socket' },
                reload_signal: 'SIGHUP',
                transports: ['unix', 'nats'],
              }),
            ]),
        // And cron (no cron.yaml in the bench's apps: idle, its RSS is in the memory table).
        service('cron', {
          depends_on: ['logs', 'db', 'mailer'],
          health: { kind: 'socket' },
          reload_signal: 'SIGHUP',
          transports: ['unix', 'nats'],
        }),
        service('gateway', {
          depends_on: ['logs', 'db'],
          health: { kind: 'http', url: `http://127.0.0.1:${gatewayPort}/health` },
          reload_signal: 'SIGHUP',
          start_timeout_s: 60,
        }),
        service('admin', {
          depends_on: ['logs', 'db'],
          health: { kind: 'http', url: `http://127.0.0.1:${adminPort}/health` },
          reload_signal: 'SIGHUP',
        }),
      ],
    }),
  );
  return config;
};

const appYamlPath = (config: BenchConfig, app: string): string =>
  join(config.configRoot, 'apps', app, 'app.yaml');

const readApp = (config: BenchConfig, name: string, how: string[]): BenchApp => {
  const yaml = parse(readFileSync(appYamlPath(config, name), 'utf8')) as {
    hosts: string[];
    base_path?: string;
    database: { name: string; pool_size?: number };
  };
  return {
    name,
    host: yaml.hosts[0],
    basePath: yaml.base_path ?? '/api',
    database: yaml.database.name,
    poolSize: yaml.database.pool_size ?? 10,
    how,
  };
};

const USERS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS sogoms_users (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  email VARCHAR(190) NOT NULL,
  password_hash VARCHAR(100) NOT NULL,
  name VARCHAR(100) NULL,
  role ENUM('default', 'admin') NOT NULL DEFAULT 'default',
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY email (email)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4`;

/**
 * Brings an existing database in as an app the way a user does: `sogoms app create` (which
 * writes app.yaml with a secret, creates sogoms_users when there is no users table, and scans
 * the schema). While that command does not exist yet, writes the app.yaml itself (and the users
 * table) and runs `schema scan` if that exists, so that auth and the db counters still work.
 */
export const bringInDatabase = async (
  config: BenchConfig,
  server: MysqlServer,
  name: string,
  database: string,
  host: string,
): Promise<BenchApp> => {
  const how: string[] = [];
  if (existsSync(appYamlPath(config, name))) return readApp(config, name, ['already in the config']);
  if (await sogomsHasCommand(config.configRoot, ['app', 'create'])) {
    const result = await runSogoms(config.configRoot, [
      'app',
      'create',
      name,
      '--database-url',
      databaseUrl(server, database),
      '--host',
      host,
    ]);
    if (result.code !== 0) throw new Error(cliFailure(`sogoms app create ${name}`, result));
    how.push(`sogoms app create (${Math.round(result.ms)} ms)`);
  } else {
    how.push('sogoms app create does not exist yet: app.yaml and sogoms_users written by the harness');
    await withConnection(server, (c) => c.query(USERS_TABLE_DDL), database);
    mkdirSync(join(config.configRoot, 'apps', name), { recursive: true });
    writeFileSync(
      appYamlPath(config, name),
      stringify({
        name,
        version: '1.0.0',
        hosts: [host],
        base_path: '/api',
        database: {
          host: server.host,
          port: server.port,
          user: server.user,
          password: server.password,
          name: database,
        },
        auth: { jwt_secret: randomBytes(32).toString('hex'), users_table: 'sogoms_users' },
      }),
    );
    if (await sogomsHasCommand(config.configRoot, ['schema', 'scan'])) {
      const scan = await runSogoms(config.configRoot, ['schema', 'scan', name]);
      how.push(scan.code === 0 ? 'sogoms schema scan' : cliFailure('sogoms schema scan', scan));
    } else how.push('sogoms schema scan does not exist yet');
  }
  return readApp(config, name, how);
};

/** The demo app (config/apps/prokov) on a database of its own, created from its init files on first start. */
export const addDemoApp = (config: BenchConfig, database: string, host: string): BenchApp => {
  const target = join(config.configRoot, 'apps', 'prokov');
  cpSync(join(PROJECT_ROOT, 'config/apps/prokov'), target, { recursive: true });
  const doc = parseDocument(readFileSync(join(target, 'app.yaml'), 'utf8'));
  doc.setIn(['hosts'], [host]);
  doc.setIn(['database', 'name'], database);
  doc.deleteIn(['database', 'host_env']);
  writeFileSync(join(target, 'app.yaml'), doc.toString());
  return readApp(config, 'prokov', ['config/apps/prokov copied, database renamed']);
};

export interface RunningStack {
  config: BenchConfig;
  supervisor: ChildProcess;
  /** Everything the supervisor printed so far. */
  output(): string;
  /** pid of every service (from `sogoms status --json`) and of the supervisor itself. */
  pids(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** Resolves once the supervisor printed its banner: every service is healthy. */
export const waitForAllUp = async (stack: RunningStack, timeoutMs = 60_000): Promise<void> => {
  if (!(await waitFor(() => Promise.resolve(stack.output().includes('SOGOMS is up')), timeoutMs, 50))) {
    await stack.stop();
    throw new Error(
      `the bench stack's services did not all start; supervisor output:\n${stack.output().slice(-3000)}`,
    );
  }
};

/** Starts the real supervisor (logs, db, gateway) on the bench config and waits for /health. */
export const startStack = async (
  config: BenchConfig,
  timeoutMs = 90_000,
  /** Also wait for the supervisor's banner (every service up: mailer, push and cron start after the gateway). */
  untilAllUp = true,
): Promise<RunningStack> => {
  let output = '';
  const supervisor = spawn(
    process.execPath,
    [...config.ctlNodeArgs, distPath('bundle/ctl/main.js'), '--config', config.configRoot],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  supervisor.stdout.on('data', (d: Buffer) => (output += d.toString()));
  supervisor.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => supervisor.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (supervisor.exitCode === null && supervisor.signalCode === null) {
      supervisor.kill('SIGTERM');
      const killer = setTimeout(() => supervisor.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
  };
  const stack: RunningStack = {
    config,
    supervisor,
    output: () => output,
    stop,
    pids: async () => {
      const status = await runSogoms(config.configRoot, ['status', '--json']);
      if (status.code !== 0) throw new Error(cliFailure('sogoms status --json', status));
      const parsed = JSON.parse(status.stdout) as { services: { name: string; pid: number | null }[] };
      const pids: Record<string, number> = { ctl: supervisor.pid ?? 0 };
      for (const service of parsed.services) if (service.pid !== null) pids[service.name] = service.pid;
      return pids;
    },
  };
  const healthy = await waitFor(
    async () =>
      supervisor.exitCode === null &&
      (await httpCall(config.gatewayPort, { path: '/health' })).status === 200,
    timeoutMs,
    200,
  );
  if (!healthy) {
    await stop();
    throw new Error(`the bench stack did not become healthy; supervisor output:\n${output.slice(-3000)}`);
  }
  if (untilAllUp) await waitForAllUp(stack, timeoutMs);
  return stack;
};

export const removeBenchConfig = (config: BenchConfig): void =>
  rmSync(config.dir, { recursive: true, force: true });

export interface BenchUser {
  email: string;
  password: string;
  token: string;
  id: number;
}

/**
 * A user of `app` and a token: `sogoms user create` when it exists, else `POST /auth/register`;
 * an existing user is fine (the bench database outlives a run). The token comes from a login.
 */
export const ensureUser = async (
  stack: RunningStack,
  app: BenchApp,
  email: string,
  password: string,
): Promise<BenchUser> => {
  const port = stack.config.gatewayPort;
  const login = (): Promise<{ status: number; json: unknown; text: string; ms: number }> =>
    httpCall(port, {
      method: 'POST',
      path: `${app.basePath}/auth/login`,
      host: app.host,
      body: { email, password },
    });
  let answer = await login();
  if (answer.status !== 200) {
    if (await sogomsHasCommand(stack.config.configRoot, ['user', 'create'])) {
      const created = await runSogoms(stack.config.configRoot, [
        'user',
        'create',
        app.name,
        '--email',
        email,
        '--password',
        password,
      ]);
      if (created.code !== 0) throw new Error(cliFailure(`sogoms user create ${app.name}`, created));
      app.how.push('user by sogoms user create');
    } else {
      const registered = await httpCall(port, {
        method: 'POST',
        path: `${app.basePath}/auth/register`,
        host: app.host,
        body: { email, password, name: 'Bench' },
      });
      if (registered.status !== 201)
        throw new Error(`register on ${app.name}: ${describeAnswer(registered)}`);
      app.how.push('user by POST /auth/register (no sogoms user create yet)');
    }
    answer = await login();
  }
  if (answer.status !== 200) throw new Error(`login on ${app.name}: ${describeAnswer(answer)}`);
  const data = (answer.json as { data: { token: string; user: Record<string, unknown> } }).data;
  return {
    email,
    password,
    token: data.token,
    id: Number(data.user.id),
  };
};

/**
 * An app's schema.yaml: the one it came with, or (the demo app before its schema is committed)
 * one scanned from its database, which the db service made at start, followed by a reload.
 * Returns null when there is one, else why not.
 */
export const ensureAppSchema = async (stack: RunningStack, app: BenchApp): Promise<string | null> => {
  const root = stack.config.configRoot;
  if (existsSync(join(root, 'apps', app.name, 'schema.yaml'))) return null;
  if (!(await sogomsHasCommand(root, ['schema', 'scan'])))
    return `${app.name} has no schema.yaml and there is no sogoms schema scan`;
  const scan = await runSogoms(root, ['schema', 'scan', app.name]);
  if (scan.code !== 0) return cliFailure(`sogoms schema scan ${app.name}`, scan);
  const reload = await runSogoms(root, ['reload']);
  if (reload.code !== 0) return cliFailure('sogoms reload', reload);
  app.how.push('schema.yaml by sogoms schema scan, then sogoms reload (the app came without one)');
  return null;
};
