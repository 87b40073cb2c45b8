import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadSchemaFile } from '@sogoms/schema';
import { connect, type MqttClient } from 'mqtt';
import { parse, stringify } from 'yaml';
import type { BenchApp, BenchConfig, BenchUser, RunningStack } from './bench-stack.js';
import {
  addDemoApp,
  bringInDatabase,
  ensureAppSchema,
  ensureUser,
  removeBenchConfig,
  startStack,
  writeBenchConfig,
} from './bench-stack.js';
import { notMeasured, type ScenarioResult } from './bench-results.js';
import type { BenchOptions } from './bench-options.js';
import { startCeiling, type CeilingServer } from './ceiling.process.js';
import { summarizeProfiles } from './cpu-profile.summary.js';
import { DbStatsClient } from './db-stats.client.js';
import type { DirectusPeer } from './directus-peer.js';
import { describeAnswer, freePort, freePorts, httpCall, sleep, waitFor } from './http-call.js';
import type { LoadTarget } from './scenarios.js';
import {
  answerProblem,
  createdId,
  paymentBody,
  SCENARIOS,
  scenarioPath,
  type ScenarioId,
  type ScenarioInfo,
} from './scenarios.js';
import type { LoadOutcome } from './load-job.js';
import { runLoad } from './load-runner.js';
import { withConnection, type MysqlServer } from './mysql-server.js';
import { cpuMs, totalCpuMs, type RssSampler } from './process-rss.js';
import { ensureSakila, removeBenchPayments } from './sakila-loader.js';
import { copyToSqlite } from './sqlite-copy.js';

export const SAKILA_DB = 'sogoms_bench_sakila';
export const PROKOV_DB = 'sogoms_bench_prokov';
const BENCH_PASSWORD = 'bench-Pass-2026!';
const TASKS = 1000;
/** Scenarios also run on a second stack with `transport.kind: inprocess` (what IPC costs). */
const INPROCESS_SCENARIOS: ReadonlySet<ScenarioId> = new Set(['film_by_id', 'film_list', 'rental_includes']);

type Log = (line: string) => void;

/** Gives the demo user of scenario 5 exactly what the issue asks: 1,000 tasks of their own. */
const fillTasks = (server: MysqlServer, userId: number): Promise<void> =>
  withConnection(
    server,
    async (connection) => {
      const [rows] = await connection.query('SELECT COUNT(*) AS n FROM tasks WHERE user_id = ?', [userId]);
      const have = Number((rows as { n: number }[])[0].n);
      if (have >= TASKS) return;
      const values = Array.from({ length: TASKS - have }, (_, i) => [
        userId,
        `Bench task ${have + i + 1}`,
        have + i + 1,
      ]);
      await connection.query('INSERT INTO tasks (user_id, title, position) VALUES ?', [values]);
    },
    PROKOV_DB,
  );

/**
 * Sends one request of the scenario the way the load will. null = it works; otherwise why not
 * (e.g. the route does not exist yet), so the table says "not available" instead of crashing.
 */
const probe = async (scenario: ScenarioId, target: LoadTarget): Promise<string | null> => {
  const call = (method: string, path: string, body?: unknown): ReturnType<typeof httpCall> =>
    httpCall(target.port, {
      method,
      path,
      host: target.host,
      token: scenario === 'auth_login' ? undefined : target.token,
      body,
    });
  const failed = (method: string, path: string, answer: Awaited<ReturnType<typeof httpCall>>): string =>
    `${method} ${path} → ${describeAnswer(answer)}`;
  try {
    if (scenario === 'payment_write') {
      const path = scenarioPath(scenario, target);
      const created = await call('POST', path, paymentBody());
      if (created.status >= 300) return failed('POST', path, created);
      const id = createdId(created.text);
      if (id === undefined) return `POST ${path} answered ${created.status} without data.payment_id`;
      const deleted = await call('DELETE', `${path}/${id}`);
      return deleted.status < 300 ? null : failed('DELETE', `${path}/${id}`, deleted);
    }
    const path = scenarioPath(scenario, target, 5);
    const answer =
      scenario === 'auth_login' ? await call('POST', path, target.login) : await call('GET', path);
    if (answer.status >= 300) return failed(scenario === 'auth_login' ? 'POST' : 'GET', path, answer);
    const problem = answerProblem(scenario, target.system, answer.json);
    return problem === null ? null : `${path}: ${problem}`;
  } catch (error) {
    return `${(error as Error).message}`;
  }
};

interface Measured {
  target: LoadTarget;
  /** Processes whose RSS is sampled during the load, and the group their sum counts to. */
  pids: Record<string, number>;
  group: string;
  queries: () => Promise<number | null>;
}

/** What a system did under one stretch of load: the answers, and the server's CPU and queries for them. */
interface Slice {
  outcome: LoadOutcome;
  cpuMs: number | null;
  /** CPU ms of each process in the slice (where the extra work of a paired system goes). */
  cpuByProcess: Record<string, number>;
  queries: number | null;
}

const warmUp = async (
  info: ScenarioInfo,
  system: Measured,
  options: BenchOptions,
  rss: RssSampler,
): Promise<void> => {
  // RSS is sampled from the warm-up on: the heap grows to its size under load there.
  rss.start(system.pids, system.group);
  try {
    await runLoad({
      scenario: info.id,
      target: system.target,
      connections: options.connections,
      durationS: options.warmupS,
    });
  } finally {
    rss.stop();
  }
};

const runSlice = async (
  info: ScenarioInfo,
  system: Measured,
  options: BenchOptions,
  durationS: number,
  rss: RssSampler,
): Promise<Slice> => {
  // The last requests before may still queue in the server (logins take long): one answered
  // probe means the slice starts on a drained server.
  await probe(info.id, system.target);
  const before = await system.queries();
  const cpuBefore = totalCpuMs(system.pids);
  const byProcessBefore = Object.entries(system.pids).map(([name, pid]) => [name, cpuMs(pid)] as const);
  rss.start(system.pids, system.group);
  let outcome: LoadOutcome;
  try {
    outcome = await runLoad({
      scenario: info.id,
      target: system.target,
      connections: options.connections,
      durationS,
    });
  } finally {
    rss.stop();
  }
  // Requests in flight at the end still run on the server: let them finish, and divide by all sent.
  await sleep(300);
  const after = await system.queries();
  const cpuAfter = totalCpuMs(system.pids);
  const cpuByProcess: Record<string, number> = {};
  for (const [name, ms] of byProcessBefore) {
    const now = cpuMs(system.pids[name]);
    if (ms !== null && now !== null) cpuByProcess[name] = now - ms;
  }
  return {
    outcome,
    cpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    cpuByProcess,
    queries: before === null || after === null ? null : after - before,
  };
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** Slices of one system as one result: totals over the slices; p50 and p99 of the median slice. */
const toResult = (
  info: ScenarioInfo,
  system: Measured,
  slices: Slice[],
  log: Log,
  note?: string,
): ScenarioResult => {
  const sum = (pick: (slice: Slice) => number): number =>
    slices.reduce((total, slice) => total + pick(slice), 0);
  const requests = sum((slice) => slice.outcome.requests);
  const sent = sum((slice) => slice.outcome.sent);
  const durationS = sum((slice) => slice.outcome.durationS);
  const rps = durationS === 0 ? 0 : requests / durationS;
  const p50 = median(slices.map((slice) => slice.outcome.p50Ms));
  const p99 = median(slices.map((slice) => slice.outcome.p99Ms));
  const errors = sum((slice) => slice.outcome.errors + slice.outcome.timeouts);
  const non2xx = sum((slice) => slice.outcome.non2xx);
  const cpu =
    slices.some((slice) => slice.cpuMs === null) || sent === 0
      ? null
      : sum((slice) => slice.cpuMs ?? 0) / sent;
  const queries =
    slices.some((slice) => slice.queries === null) || sent === 0
      ? null
      : sum((slice) => slice.queries ?? 0) / sent;
  const codes: Record<string, number> = {};
  for (const slice of slices)
    for (const [code, n] of Object.entries(slice.outcome.statusCodes))
      if (!code.startsWith('2')) codes[code] = (codes[code] ?? 0) + n;
  log(
    `  ${system.target.system}: ${Math.round(rps)} req/s, p50 ${p50} ms, p99 ${p99} ms, ` +
      `errors ${errors}, non-2xx ${non2xx}${queries === null ? '' : `, ${queries.toFixed(2)} queries/req`}` +
      `${cpu === null ? '' : `, ${cpu.toFixed(3)} CPU ms/req`}${slices.length > 1 ? ` (${slices.length} slices)` : ''}`,
  );
  const notes = [
    ...(Object.keys(codes).length > 0
      ? [
          `status codes: ${Object.entries(codes)
            .map(([code, n]) => `${code}×${n}`)
            .join(', ')}`,
        ]
      : []),
    ...(note === undefined ? [] : [note]),
  ];
  return {
    name: info.id,
    system: system.target.system,
    rps,
    p50_ms: p50,
    p99_ms: p99,
    errors,
    queries_per_request: queries,
    cpu_ms_per_request: cpu,
    non_2xx: non2xx,
    requests,
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  };
};

const measure = async (
  info: ScenarioInfo,
  system: Measured,
  options: BenchOptions,
  rss: RssSampler,
  log: Log,
): Promise<ScenarioResult> => {
  const why = await probe(info.id, system.target);
  if (why !== null) {
    log(`  ${system.target.system}: not available (${why})`);
    return notMeasured(info.id, system.target.system, `not available: ${why}`);
  }
  await warmUp(info, system, options, rss);
  return toResult(info, system, [await runSlice(info, system, options, options.durationS, rss)], log);
};

/**
 * Slices per system in a paired measurement (A B B A A B B A …), and the seconds each system
 * gets in all. On a 2-core machine an A/A run (`--aa`: two identical stacks) gave slice-pair
 * ratios from 0.80 to 1.17, and four-pair totals of quick runs ranged 0.86–1.12; the full run
 * therefore gives each paired system eight slices, twice the scenario's duration.
 */
const pairedPlan = (options: BenchOptions): { slices: number; totalS: number } =>
  options.quick ? { slices: 4, totalS: options.durationS } : { slices: 8, totalS: 2 * options.durationS };

/**
 * Two systems whose ratio is the point (metrics on ÷ off, push on ÷ off): measured in
 * alternating slices, A B B A …. On a machine shared with other work, load drifts over seconds;
 * measured one after the other, two identical stacks differed by ±15 %, which interleaving
 * cancels. The ratio of each slice pair goes into the second's note.
 */
const measurePaired = async (
  info: ScenarioInfo,
  first: Measured,
  second: Measured,
  options: BenchOptions,
  rss: RssSampler,
  log: Log,
): Promise<[ScenarioResult, ScenarioResult]> => {
  for (const system of [first, second]) {
    const why = await probe(info.id, system.target);
    if (why !== null) {
      log(`  ${system.target.system}: not available (${why})`);
      const missing = notMeasured(info.id, system.target.system, `not available: ${why}`);
      const other = system === first ? second : first;
      return system === first
        ? [missing, await measure(info, other, options, rss, log)]
        : [await measure(info, other, options, rss, log), missing];
    }
  }
  await warmUp(info, first, options, rss);
  await warmUp(info, second, options, rss);
  const plan = pairedPlan(options);
  const sliceS = Math.max(1, plan.totalS / plan.slices);
  const a: Slice[] = [];
  const b: Slice[] = [];
  for (let i = 0; i < plan.slices; i++) {
    const order = i % 2 === 0 ? [first, second] : [second, first];
    for (const system of order)
      (system === first ? a : b).push(await runSlice(info, system, options, sliceS, rss));
  }
  const ratios = a.map((slice, i) =>
    slice.outcome.rps === 0 ? 'n/a' : (b[i].outcome.rps / slice.outcome.rps).toFixed(2),
  );
  log(`  ${second.target.system} ÷ ${first.target.system} per slice pair: ${ratios.join(', ')}`);
  for (const [system, slices] of [
    [first, a],
    [second, b],
  ] as const) {
    const sent = slices.reduce((total, slice) => total + slice.outcome.sent, 0);
    const byProcess: Record<string, number> = {};
    for (const slice of slices)
      for (const [name, ms] of Object.entries(slice.cpuByProcess))
        byProcess[name] = (byProcess[name] ?? 0) + ms;
    if (sent > 0)
      log(
        `  ${system.target.system} CPU ms/req by process: ${Object.entries(byProcess)
          .map(([name, ms]) => `${name} ${(ms / sent).toFixed(3)}`)
          .join(', ')}`,
      );
  }
  return [
    toResult(info, first, a, log),
    toResult(
      info,
      second,
      b,
      log,
      `measured in ${plan.slices} slices alternated with ${first.target.system}; per pair ${ratios.join(', ')}`,
    ),
  ];
};

export interface ApiPhase {
  scenarios: ScenarioResult[];
  notes: string[];
}

/** The second stack: the same apps (same secrets, so the same tokens), the db module in the gateway. */
interface InProcessStack {
  config: BenchConfig;
  stack: RunningStack;
  stats: DbStatsClient;
  pids: Record<string, number>;
}

const startInProcessStack = async (
  apps: BenchConfig,
  nodeArgs: BenchOptions['nodeArgs'],
  requestLogPercent: number | null,
  profileDir: string | null,
  log: Log,
): Promise<InProcessStack> => {
  const config = await writeBenchConfig(await freePort(), 'inprocess', {
    transport: 'inprocess',
    nodeArgs,
    requestLogPercent,
    ...(profileDir === null ? {} : { cpuProfileDir: profileDir }),
  });
  cpSync(join(apps.configRoot, 'apps'), join(config.configRoot, 'apps'), { recursive: true });
  log(`starting the in-process stack (config ${config.configRoot}, gateway port ${config.gatewayPort})`);
  try {
    const stack = await startStack(config);
    const pids: Record<string, number> = {};
    // Prefixed: the RSS table keeps both stacks' processes apart.
    for (const [name, pid] of Object.entries(await stack.pids())) pids[`inprocess_${name}`] = pid;
    return { config, stack, stats: new DbStatsClient(config.runDir), pids };
  } catch (error) {
    removeBenchConfig(config);
    throw error;
  }
};

/**
 * The third stack: the same apps, Sakila on an SQLite copy of its MariaDB database (made now,
 * in the stack's folder), to put SQLite's figures beside MariaDB's in the same run.
 */
const startSqliteStack = async (
  apps: BenchConfig,
  server: MysqlServer,
  sakila: BenchApp,
  nodeArgs: BenchOptions['nodeArgs'],
  log: Log,
): Promise<InProcessStack> => {
  const config = await writeBenchConfig(await freePort(), 'sqlite', { nodeArgs });
  cpSync(join(apps.configRoot, 'apps'), join(config.configRoot, 'apps'), { recursive: true });
  const appDir = join(config.configRoot, 'apps', sakila.name);
  const file = join(config.dir, 'sakila.sqlite');
  const schema = loadSchemaFile(appDir, config.configRoot);
  if (schema === null) throw new Error('the Sakila app has no schema.yaml');
  const started = performance.now();
  const copied = await copyToSqlite(server, sakila.database, schema, file);
  log(
    `SQLite copy of ${sakila.database}: ${copied.tables} tables, ${copied.rows} rows in ${Math.round(performance.now() - started)} ms` +
      ` (left out: ${copied.skipped.length === 0 ? 'nothing' : copied.skipped.join('; ')})`,
  );
  const appYaml = join(appDir, 'app.yaml');
  const app = parse(readFileSync(appYaml, 'utf8')) as { database: Record<string, unknown> };
  app.database = { driver: 'sqlite', file };
  writeFileSync(appYaml, stringify(app));
  log(`starting the SQLite stack (config ${config.configRoot}, gateway port ${config.gatewayPort})`);
  try {
    const stack = await startStack(config);
    const pids: Record<string, number> = {};
    for (const [name, pid] of Object.entries(await stack.pids())) pids[`sqlite_${name}`] = pid;
    return { config, stack, stats: new DbStatsClient(config.runDir), pids };
  } catch (error) {
    removeBenchConfig(config);
    throw error;
  }
};

/** Scenarios 1–2 also run on a stack with `metrics.enabled: false`: the cost of the metrics. */
const METRICS_OFF_SCENARIOS = new Set(['film_by_id', 'film_list']);

/**
 * The fifth stack: the main one's apps and settings with `metrics.enabled: false` (no listener,
 * no reports, no gateway hook, no IPC call counting); the main stack has them on, as a user's does.
 */
const startMetricsOffStack = async (
  apps: BenchConfig,
  nodeArgs: BenchOptions['nodeArgs'],
  requestLogPercent: number | null,
  aa: boolean,
  log: Log,
): Promise<InProcessStack> => {
  const [gatewayPort, port, wsPort] = await freePorts(3);
  const config = await writeBenchConfig(gatewayPort, 'metrics-off', {
    nodeArgs,
    requestLogPercent,
    push: { port, wsPort },
    // --aa: the same stack as the main one, so that the paired ratio shows the harness's noise.
    metrics: !aa,
  });
  cpSync(join(apps.configRoot, 'apps'), join(config.configRoot, 'apps'), { recursive: true });
  if (aa) log('--aa: the metrics-off stack keeps metrics on (an A/A control; results not written)');
  log(`starting the metrics-off stack (config ${config.configRoot}, gateway port ${config.gatewayPort})`);
  try {
    const stack = await startStack(config);
    const pids: Record<string, number> = {};
    for (const [name, pid] of Object.entries(await stack.pids())) pids[`metrics_off_${name}`] = pid;
    return { config, stack, stats: new DbStatsClient(config.runDir), pids };
  } catch (error) {
    removeBenchConfig(config);
    throw error;
  }
};

/** A stack with push on: the main one's apps, Sakila's payments published, one subscriber listening. */
interface PushStack extends InProcessStack {
  subscriber: MqttClient;
  received: () => number;
}

/**
 * The fourth stack, for scenario 4 with push on: the same apps, Sakila's `payment` writes
 * published as broadcasts (not owner-filtered), and a real MQTT client subscribed to them, so
 * every write goes through the hook, the outbox and the broker. The main stack runs the push
 * service too but no app publishes there: push off.
 */
const startPushStack = async (
  apps: BenchConfig,
  sakila: BenchApp,
  token: string,
  nodeArgs: BenchOptions['nodeArgs'],
  profileDir: string | null,
  log: Log,
): Promise<PushStack> => {
  const [gatewayPort, port, wsPort] = await freePorts(3);
  const config = await writeBenchConfig(gatewayPort, 'push', {
    nodeArgs,
    push: { port, wsPort },
    ...(profileDir === null ? {} : { cpuProfileDir: profileDir }),
  });
  cpSync(join(apps.configRoot, 'apps'), join(config.configRoot, 'apps'), { recursive: true });
  const appYaml = appYamlOf(config, sakila.name);
  const app = parse(readFileSync(appYaml, 'utf8')) as Record<string, unknown>;
  app.push = { tables: { payment: { channel: 'payment', audience: 'broadcast' } } };
  writeFileSync(appYaml, stringify(app));
  log(`starting the push stack (config ${config.configRoot}, gateway port ${config.gatewayPort})`);
  let stack: RunningStack | null = null;
  try {
    stack = await startStack(config);
    const pids: Record<string, number> = {};
    for (const [name, pid] of Object.entries(await stack.pids())) pids[`push_${name}`] = pid;
    let received = 0;
    const subscriber = connect(`mqtt://127.0.0.1:${port}`, {
      protocolVersion: 4,
      username: 'bench',
      password: token,
      reconnectPeriod: 500,
    });
    subscriber.on('message', () => received++);
    if (!(await waitFor(() => Promise.resolve(subscriber.connected), 15_000, 100)))
      throw new Error('the subscriber could not connect to the embedded broker');
    await subscriber.subscribeAsync(`${sakila.name}/broadcast/#`, { qos: 1 });
    return {
      config,
      stack,
      stats: new DbStatsClient(config.runDir),
      pids,
      subscriber,
      received: () => received,
    };
  } catch (error) {
    await stack?.stop();
    removeBenchConfig(config);
    throw error;
  }
};

const appYamlOf = (config: BenchConfig, app: string): string =>
  join(config.configRoot, 'apps', app, 'app.yaml');

/**
 * Scenarios 1–6 against the real stack on Sakila and the demo app, each followed by its
 * baselines (the ceiling, Directus when given; scenarios 1–3 also on an in-process stack) in
 * the same run, on the same database.
 */
export const runApiPhase = async (
  options: BenchOptions,
  server: MysqlServer,
  rss: RssSampler,
  directus: DirectusPeer | string,
  log: Log,
): Promise<ApiPhase> => {
  const notes: string[] = [];
  const profileDir = options.cpuProf ? mkdtempSync(join(tmpdir(), 'sogoms-bench-profiles-')) : null;
  const profiled: Record<string, number> = {};
  const sakilaLoad = await ensureSakila(server, SAKILA_DB);
  log(
    sakilaLoad.loaded
      ? `Sakila loaded into ${SAKILA_DB} in ${sakilaLoad.ms} ms`
      : `Sakila: ${SAKILA_DB} is there`,
  );
  const [apiPort, pushPort, pushWsPort] = await freePorts(3);
  const config = await writeBenchConfig(apiPort, 'api', {
    nodeArgs: options.nodeArgs,
    push: { port: pushPort, wsPort: pushWsPort },
    requestLogPercent: options.requestLogPercent,
    ...(profileDir === null ? {} : { cpuProfileDir: profileDir }),
  });
  let stack: RunningStack | null = null;
  let ceiling: CeilingServer | null = null;
  let stats: DbStatsClient | null = null;
  let inProcess: InProcessStack | string = 'not started';
  let onSqlite: InProcessStack | string = 'not started';
  let withPush: PushStack | string = 'not started';
  let metricsOff: InProcessStack | string = 'not started';
  const scenarios: ScenarioResult[] = [];
  try {
    const sakila: BenchApp = await bringInDatabase(config, server, 'sakila', SAKILA_DB, 'sakila.localhost');
    const prokov: BenchApp = addDemoApp(config, PROKOV_DB, 'prokov.localhost');
    log(`starting the stack (config ${config.configRoot}, gateway port ${config.gatewayPort})`);
    if (profileDir !== null) log(`CPU profiles of the stack go to ${profileDir}`);
    stack = await startStack(config);
    const user: BenchUser = await ensureUser(stack, sakila, 'bench@sogoms.test', BENCH_PASSWORD);
    let tasksUser: BenchUser | null = null;
    try {
      const schemaProblem = await ensureAppSchema(stack, prokov);
      if (schemaProblem !== null) notes.push(`demo app: ${schemaProblem}`);
      tasksUser = await ensureUser(stack, prokov, 'tasks-bench@sogoms.test', BENCH_PASSWORD);
      await fillTasks(server, tasksUser.id);
      // A reload is asynchronous: wait until the tasks route answers (or give up; the probe reports it).
      const tasksTarget: LoadTarget = {
        system: 'sogoms',
        port: config.gatewayPort,
        basePath: prokov.basePath,
        host: prokov.host,
        token: tasksUser.token,
      };
      await waitFor(async () => (await probe('tasks_owner', tasksTarget)) === null, 15_000, 200);
    } catch (error) {
      notes.push(`demo app user for scenario 5: ${(error as Error).message}`);
    }
    notes.push(`sakila app: ${sakila.how.join('; ')}`);
    notes.push(`prokov app: ${prokov.how.join('; ')}`);
    stats = new DbStatsClient(config.runDir);
    const statsClient = stats;
    const pids = await stack.pids();
    Object.assign(profiled, pids);
    try {
      inProcess = await startInProcessStack(
        config,
        options.nodeArgs,
        options.requestLogPercent,
        profileDir,
        log,
      );
      Object.assign(profiled, inProcess.pids);
    } catch (error) {
      inProcess = `the in-process stack did not start: ${(error as Error).message.slice(0, 300)}`;
      notes.push(inProcess);
    }
    try {
      onSqlite = await startSqliteStack(config, server, sakila, options.nodeArgs, log);
    } catch (error) {
      onSqlite = `the SQLite stack did not start: ${(error as Error).message.slice(0, 300)}`;
      notes.push(onSqlite);
    }
    try {
      withPush = await startPushStack(config, sakila, user.token, options.nodeArgs, profileDir, log);
      Object.assign(profiled, withPush.pids);
    } catch (error) {
      withPush = `the push stack did not start: ${(error as Error).message.slice(0, 300)}`;
      notes.push(withPush);
    }
    try {
      metricsOff = await startMetricsOffStack(
        config,
        options.nodeArgs,
        options.requestLogPercent,
        options.aa,
        log,
      );
    } catch (error) {
      metricsOff = `the metrics-off stack did not start: ${(error as Error).message.slice(0, 300)}`;
      notes.push(metricsOff);
    }
    ceiling = await startCeiling(SAKILA_DB, sakila.poolSize);
    const ceilingServer = ceiling;
    const sogomsTarget = (app: BenchApp, token: string | undefined): LoadTarget => ({
      system: 'sogoms',
      port: config.gatewayPort,
      basePath: app.basePath,
      host: app.host,
      token,
      login: { email: user.email, password: user.password },
    });
    for (const info of SCENARIOS) {
      log(`scenario ${info.number}: ${info.title}`);
      if (info.id === 'payment_write') await removeBenchPayments(server, SAKILA_DB);
      const app = info.app === 'prokov' ? prokov : sakila;
      const token = info.app === 'prokov' ? tasksUser?.token : user.token;
      const main: Measured = {
        target: sogomsTarget(app, token),
        pids,
        group: 'sogoms',
        queries: () => statsClient.queries(),
      };
      // The stacks whose ratio to the main one is a target run in slices alternated with it.
      const pairedWith = (
        system: 'metrics_off' | 'push',
        stack: { config: BenchConfig; pids: Record<string, number>; stats: DbStatsClient } | string,
      ): Measured | string =>
        typeof stack === 'string'
          ? stack
          : {
              target: { ...sogomsTarget(app, token), system, port: stack.config.gatewayPort },
              pids: stack.pids,
              group: system,
              queries: () => stack.stats.queries(),
            };
      const pushed = info.id === 'payment_write' ? withPush : null;
      const pushedBefore = pushed === null || typeof pushed === 'string' ? 0 : pushed.received();
      const partner = METRICS_OFF_SCENARIOS.has(info.id)
        ? { name: 'metrics_off' as const, system: pairedWith('metrics_off', metricsOff) }
        : pushed !== null
          ? { name: 'push' as const, system: pairedWith('push', pushed) }
          : null;
      if (info.app === 'prokov' && tasksUser === null) {
        scenarios.push(notMeasured(info.id, 'sogoms', 'not available: no demo user (see notes)'));
      } else if (partner === null) {
        scenarios.push(await measure(info, main, options, rss, log));
      } else if (typeof partner.system === 'string') {
        scenarios.push(await measure(info, main, options, rss, log));
        scenarios.push(notMeasured(info.id, partner.name, partner.system));
      } else {
        scenarios.push(...(await measurePaired(info, main, partner.system, options, rss, log)));
      }
      if (pushed !== null && typeof pushed !== 'string') {
        await sleep(500);
        notes.push(
          `push on (scenario 4): the subscriber received ${pushed.received() - pushedBefore} events (the payment creates and deletes, plus the warm-up's)`,
        );
      }
      if (INPROCESS_SCENARIOS.has(info.id)) {
        if (typeof inProcess === 'string') {
          scenarios.push(notMeasured(info.id, 'inprocess', inProcess));
        } else {
          const local = inProcess;
          scenarios.push(
            await measure(
              info,
              {
                target: { ...sogomsTarget(app, token), system: 'inprocess', port: local.config.gatewayPort },
                pids: local.pids,
                group: 'inprocess',
                queries: () => local.stats.queries(),
              },
              options,
              rss,
              log,
            ),
          );
        }
      }
      if (INPROCESS_SCENARIOS.has(info.id)) {
        if (typeof onSqlite === 'string') {
          scenarios.push(notMeasured(info.id, 'sqlite', onSqlite));
        } else {
          const lite = onSqlite;
          scenarios.push(
            await measure(
              info,
              {
                target: { ...sogomsTarget(app, token), system: 'sqlite', port: lite.config.gatewayPort },
                pids: lite.pids,
                group: 'sqlite',
                queries: () => lite.stats.queries(),
              },
              options,
              rss,
              log,
            ),
          );
        }
      }
      if (info.baselines.includes('ceiling')) {
        if (info.id === 'payment_write') await removeBenchPayments(server, SAKILA_DB);
        const target: LoadTarget = { system: 'ceiling', port: ceilingServer.port, basePath: '/api' };
        scenarios.push(
          await measure(
            info,
            {
              target,
              pids: { ceiling: ceilingServer.pid },
              group: 'ceiling',
              queries: () => ceilingServer.queries(),
            },
            options,
            rss,
            log,
          ),
        );
      }
      if (info.baselines.includes('directus')) {
        if (typeof directus === 'string') {
          scenarios.push(notMeasured(info.id, 'directus', directus));
        } else {
          if (info.id === 'payment_write') await removeBenchPayments(server, directus.database);
          const target: LoadTarget = {
            system: 'directus',
            port: directus.port,
            basePath: '',
            token: directus.token,
          };
          scenarios.push(
            await measure(
              info,
              {
                target,
                pids: { directus: directus.pid },
                group: 'directus',
                queries: () => Promise.resolve(null),
              },
              options,
              rss,
              log,
            ),
          );
        }
      }
      if (info.id === 'payment_write') await removeBenchPayments(server, SAKILA_DB);
    }
  } finally {
    await stats?.close();
    if (typeof inProcess !== 'string') {
      await inProcess.stats.close();
      await inProcess.stack.stop();
      removeBenchConfig(inProcess.config);
    }
    if (typeof onSqlite !== 'string') {
      await onSqlite.stats.close();
      await onSqlite.stack.stop();
      removeBenchConfig(onSqlite.config);
    }
    if (typeof withPush !== 'string') {
      await withPush.subscriber.endAsync(true).catch(() => undefined);
      await withPush.stats.close();
      await withPush.stack.stop();
      removeBenchConfig(withPush.config);
    }
    if (typeof metricsOff !== 'string') {
      await metricsOff.stats.close();
      await metricsOff.stack.stop();
      removeBenchConfig(metricsOff.config);
    }
    await ceiling?.stop();
    await stack?.stop();
    removeBenchConfig(config);
  }
  if (profileDir !== null) {
    notes.push(`profiled run (--cpu-prof): figures are lower than without; profiles in ${profileDir}`);
    for (const line of summarizeProfiles(profileDir, profiled)) log(line);
  }
  return { scenarios, notes };
};
