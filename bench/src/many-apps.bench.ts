import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { stringify } from 'yaml';
import type { ManyAppsResult } from './bench-results.js';
import type { BenchOptions } from './bench-options.js';
import {
  removeBenchConfig,
  startStack,
  waitForAllUp,
  writeBenchConfig,
  type BenchConfig,
  type RunningStack,
} from './bench-stack.js';
import { DbStatsClient } from './db-stats.client.js';
import { freePort, httpCall, sleep, waitFor } from './http-call.js';
import type { LoadOutcome } from './load-job.js';
import { runManyAppsLoad } from './load-runner.js';
import { withConnection, type MysqlServer } from './mysql-server.js';
import { RssSampler } from './process-rss.js';

export const MANY_APPS = 50;
const CLIENTS_PER_APP = 8;
const PATH = '/api/items?limit=5';
const DB_PREFIX = 'sogoms_bench_many_';
const databaseOf = (n: number): string => `${DB_PREFIX}${String(n).padStart(2, '0')}`;
const appOf = (n: number): string => `many${String(n).padStart(2, '0')}`;

type Log = (line: string) => void;
const fixed0 = (ms: number | null): string => (ms === null ? 'never' : String(Math.round(ms)));

/** A small shop: items (20 rows), categories, notes. */
const DATABASE_SQL = [
  `CREATE TABLE categories (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(60) NOT NULL)`,
  `CREATE TABLE items (
     id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
     name VARCHAR(100) NOT NULL,
     price DECIMAL(10,2) NOT NULL DEFAULT 0,
     category_id INT UNSIGNED NULL,
     created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
     KEY idx_category (category_id),
     CONSTRAINT fk_items_category FOREIGN KEY (category_id) REFERENCES categories (id)
   )`,
  `CREATE TABLE notes (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, body TEXT NOT NULL)`,
  `INSERT INTO categories (name) VALUES ('tools'), ('books'), ('games')`,
  `INSERT INTO items (name, price, category_id) VALUES ${Array.from(
    { length: 20 },
    (_, i) => `('item ${i + 1}', ${(i + 1) * 1.25}, ${(i % 3) + 1})`,
  ).join(', ')}`,
];

/** What `schema scan` would write for the items table, with public reads (no token: the load measures the budget). */
const SCHEMA_YAML = `version: 1
tables:
  categories:
    fields:
      id: { type: int, unsigned: true, primary: true, auto: true }
      name: { type: string, length: 60, required: true }
  items:
    public: [list, read]
    fields:
      id: { type: int, unsigned: true, primary: true, auto: true }
      name: { type: string, length: 100, required: true }
      price: { type: decimal, precision: 10, scale: 2, default: '0.00' }
      category_id: { type: int, unsigned: true, nullable: true }
      created_at: { type: datetime, default: { sql: current_timestamp() } }
  notes:
    fields:
      id: { type: int, unsigned: true, primary: true, auto: true }
      body: { type: text, required: true }
`;

/** The 50 databases, made once and kept like the other bench databases. Returns ms spent, or null when reused. */
const ensureDatabases = (server: MysqlServer): Promise<number | null> =>
  withConnection(server, async (connection) => {
    const [rows] = await connection.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA LIKE ? AND TABLE_NAME = 'items'`,
      [`${DB_PREFIX.replace(/_/g, '\\_')}%`],
    );
    if (Number(rows[0].n) === MANY_APPS) return null;
    const started = Date.now();
    for (let n = 0; n < MANY_APPS; n++) {
      const database = databaseOf(n);
      await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await connection.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
      await connection.query(`USE \`${database}\``);
      for (const sql of DATABASE_SQL) await connection.query(sql);
    }
    return Date.now() - started;
  });

/** The apps' folders as `sogoms app create` leaves them (written directly: 50 CLI runs would take a minute). */
const writeApps = (configRoot: string, server: MysqlServer, count = MANY_APPS): void => {
  for (let n = 0; n < count; n++) {
    const dir = join(configRoot, 'apps', appOf(n));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'app.yaml'),
      stringify({
        name: appOf(n),
        version: '1.0.0',
        hosts: [`${appOf(n)}.localhost`],
        base_path: '/api',
        database: {
          host: server.host,
          port: server.port,
          user: server.user,
          password: server.password,
          name: databaseOf(n),
        },
        auth: { jwt_secret: randomBytes(32).toString('hex') },
      }),
    );
    writeFileSync(join(dir, 'schema.yaml'), SCHEMA_YAML);
  }
};

/** Supervisor spawned → every host answers PATH 200 (ms), the stack stopped again; null when it never did. */
const timeStart = async (config: BenchConfig, hosts: string[]): Promise<number | null> => {
  const startedAt = performance.now();
  const stack = await startStack(config, undefined, false);
  try {
    const answering = await waitFor(
      async () =>
        (await Promise.all(hosts.map((host) => httpCall(config.gatewayPort, { path: PATH, host })))).every(
          (answer) => answer.status === 200,
        ),
      30_000,
      20,
    );
    return answering ? performance.now() - startedAt : null;
  } finally {
    await stack.stop();
  }
};

/** Connections MariaDB has open on the apps' databases (SOGOMS's: nothing else uses them). */
const sogomsConnections = (server: MysqlServer): Promise<number> =>
  withConnection(server, async (connection) => {
    const [rows] = await connection.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB LIKE ?',
      [`${DB_PREFIX.replace(/_/g, '\\_')}%`],
    );
    return Number(rows[0].n);
  });

interface BudgetSample {
  connections: number;
  budget: number | null;
}

/** Samples SOGOMS's connections and its budget every 250 ms until stopped. */
const sampleBudget = (server: MysqlServer, stats: DbStatsClient) => {
  const samples: BudgetSample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const [connections, current] = await Promise.all([
        sogomsConnections(server).catch(() => null),
        stats.stats(),
      ]);
      if (connections !== null) samples.push({ connections, budget: current?.servers[0]?.budget ?? null });
      await sleep(250);
    }
  })();
  return {
    samples,
    stop: async (): Promise<void> => {
      running = false;
      await loop;
    },
  };
};

const loadSummary = (outcome: LoadOutcome) => ({
  rps: outcome.rps,
  p50_ms: outcome.p50Ms,
  p99_ms: outcome.p99Ms,
  errors: outcome.errors + outcome.timeouts,
  non_2xx: outcome.non2xx,
  requests: outcome.requests,
  status_codes: outcome.statusCodes,
});

/**
 * 50 apps on one MariaDB (at its own max_connections): start time, then 8 clients per app on
 * `GET /items?limit=5` against the same 400 clients on one app, in the same run; SOGOMS's
 * connections and budget sampled all along, the stack's RSS.
 */
export const runManyAppsPhase = async (
  options: BenchOptions,
  server: MysqlServer,
  log: Log,
): Promise<ManyAppsResult> => {
  const created = await ensureDatabases(server);
  log(
    created === null
      ? `${DB_PREFIX}*: ${MANY_APPS} databases are there`
      : `${DB_PREFIX}*: ${MANY_APPS} databases created in ${created} ms`,
  );
  // The same stack with one app first: the difference is what 49 more apps cost at start.
  const single = await writeBenchConfig(await freePort(), 'many-one');
  let startOneAppMs: number | null = null;
  try {
    writeApps(single.configRoot, server, 1);
    startOneAppMs = await timeStart(single, [`${appOf(0)}.localhost`]);
    log(`one app: supervisor start → it answers in ${fixed0(startOneAppMs)} ms`);
  } catch (error) {
    log(`one app: start not measured (${(error as Error).message.slice(0, 200)})`);
  } finally {
    removeBenchConfig(single);
  }
  const config = await writeBenchConfig(await freePort(), 'many');
  writeApps(config.configRoot, server);
  const hosts = Array.from({ length: MANY_APPS }, (_, n) => `${appOf(n)}.localhost`);
  const port = config.gatewayPort;
  let stack: RunningStack | null = null;
  const stats = new DbStatsClient(config.runDir);
  const rss = new RssSampler();
  try {
    const startedAt = performance.now();
    stack = await startStack(config, undefined, false);
    const answering = await waitFor(
      async () =>
        (await Promise.all(hosts.map((host) => httpCall(port, { path: PATH, host })))).every(
          (answer) => answer.status === 200,
        ),
      30_000,
      20,
    );
    const startMs = performance.now() - startedAt;
    if (!answering) throw new Error(`not every app answered ${PATH} 200 within 30 s of the start`);
    // The workers (mailer, cron) start once the gateway is up; the RSS below counts them.
    await waitForAllUp(stack);
    log(`${MANY_APPS} apps: supervisor start → every app answers in ${Math.round(startMs)} ms`);
    const idle = await stats.stats();
    const idleConnections = await sogomsConnections(server);

    const pids = await stack.pids();
    rss.start(pids, 'many');
    const run = async (label: string, jobHosts: string[], perHost: number) => {
      await runManyAppsLoad({ port, path: PATH, hosts: jobHosts, perHost, durationS: options.warmupS });
      const sampler = sampleBudget(server, stats);
      const outcome = await runManyAppsLoad({
        port,
        path: PATH,
        hosts: jobHosts,
        perHost,
        durationS: options.durationS,
      });
      await sampler.stop();
      log(
        `${label}: ${Math.round(outcome.rps)} req/s, p99 ${outcome.p99Ms} ms, non-2xx ${outcome.non2xx}, ` +
          `connections ≤ ${Math.max(...sampler.samples.map((s) => s.connections))}`,
      );
      return { outcome, samples: sampler.samples };
    };
    const many = await run(`${MANY_APPS} apps × ${CLIENTS_PER_APP} clients`, hosts, CLIENTS_PER_APP);
    const one = await run(
      `one app × ${MANY_APPS * CLIENTS_PER_APP} clients`,
      [hosts[0]],
      MANY_APPS * CLIENTS_PER_APP,
    );
    rss.stop();
    const after = await stats.stats();
    const server0 = after?.servers[0] ?? null;
    const overBudget = many.samples.filter((s) => s.budget !== null && s.connections > s.budget).length;
    return {
      status: 'ok',
      apps: MANY_APPS,
      clients_per_app: CLIENTS_PER_APP,
      create_databases_ms: created,
      start_ms: startMs,
      start_one_app_ms: startOneAppMs,
      idle_connections: idleConnections,
      server_max_connections:
        server0?.server_max_connections ?? idle?.servers[0]?.server_max_connections ?? null,
      budget: server0?.budget ?? null,
      many: loadSummary(many.outcome),
      one_app: loadSummary(one.outcome),
      ratio: one.outcome.rps > 0 ? many.outcome.rps / one.outcome.rps : null,
      peak_connections: Math.max(...many.samples.map((s) => s.connections)),
      peak_connections_one_app: Math.max(...one.samples.map((s) => s.connections)),
      samples: many.samples.length,
      samples_over_budget: overBudget,
      timed_out_waits: server0?.timed_out_waits ?? null,
      refused_1040: server0?.refused_1040 ?? null,
      rss_total_mb: rss.peakTotalMb('many'),
      rss_db_mb: rss.peakMb.db ?? null,
      rss_gateway_mb: rss.peakMb.gateway ?? null,
    };
  } catch (error) {
    return manyAppsNotAvailable((error as Error).message.slice(0, 500), 'failed');
  } finally {
    rss.stop();
    await stats.close();
    await stack?.stop();
    removeBenchConfig(config);
  }
};

export const manyAppsNotAvailable = (
  note: string,
  status: ManyAppsResult['status'] = 'not available',
): ManyAppsResult => ({ status, note });
