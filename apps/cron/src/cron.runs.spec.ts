import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { loadConfig, type LoadedConfig } from '@sogoms/config';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import { dialectOf } from '@sogoms/db/dialect';
import {
  adminConnection,
  dropDatabases,
  listenDbSocket,
  startDbHarness,
  testDatabaseName,
  type DbHarness,
} from '@sogoms/db/testing';
import {
  createClientProxy,
  CRON_PATTERNS,
  IpcClient,
  type CronJobInfo,
  type CronRun,
  type UnixSocketServer,
} from '@sogoms/ipc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCronConfigs } from './config/cron-config.loader.js';
import { startCronMicroservice } from './cron.microservice.js';
import { CRON_RUNS_TABLE, cronTablesDdl } from './runs/cron-tables.js';
import { JobScheduler } from './schedule/job-scheduler.js';

const ENGINES = ['mariadb', 'sqlite'] as const;
/** A schedule that does not fire while the suite runs: these jobs run when triggered. */
const NEVER = '0 0 1 1 *';
const HOUR_MS = 3_600_000;

describe.each(ENGINES)('cron runs on %s (real db module, real HTTP target)', (engine) => {
  const database = testDatabaseName('cron');
  let fx: ConfigFixture;
  let config: LoadedConfig;
  let db: DbHarness;
  let dbSocket: UnixSocketServer;
  let cron: INestMicroservice;
  let client: IpcClient;
  let target: Server;
  let port: number;
  const hits = new Map<string, number>();
  /** The fire time the catch-up app last ran: five fire times ago. */
  const lastRun = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 5 * HOUR_MS;

  const call = <T>(pattern: string, data: Record<string, unknown>): Promise<T> =>
    client.call<T>(pattern, data, { timeoutMs: 20_000 });
  const runs = (app: string, job?: string, limit = 500): Promise<CronRun[]> =>
    call(CRON_PATTERNS.status, { app, ...(job === undefined ? {} : { job }), limit });
  const start = async (): Promise<void> => {
    cron = await startCronMicroservice(
      { config, crons: loadCronConfigs(fx.root, config.apps) },
      { logger: process.env.DEBUG_CRON ? undefined : false },
    );
    client = new IpcClient(createClientProxy(config.global, 'cron'), { timeoutMs: 20_000 });
  };
  const stop = async (): Promise<void> => {
    await client?.close();
    await cron?.close();
  };

  beforeAll(async () => {
    target = createServer((req, res) => {
      const path = req.url ?? '/';
      const seen = (hits.get(path) ?? 0) + 1;
      hits.set(path, seen);
      if (path.startsWith('/flaky') && seen <= 2) return res.writeHead(500).end('not yet');
      res.end('fine');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    port = (target.address() as AddressInfo).port;
    const url = (path: string): string => `http://127.0.0.1:${port}${path}`;

    fx = createConfigFixture();
    fx.global({ run_dir: '../run', log_dir: '../logs' });
    const databaseSection = (app: string): Record<string, string> =>
      engine === 'sqlite'
        ? { driver: 'sqlite', file: `../var/${app}.sqlite` }
        : { name: database, user: 'root', password: '' };
    fx.app('shop', { database: databaseSection('shop') });
    fx.write('apps/shop/cron.yaml', {
      jobs: [
        { name: 'ping', type: 'http', schedule: NEVER, url: url('/ping'), allow_private: true },
        {
          name: 'flaky',
          type: 'http',
          schedule: NEVER,
          url: url(`/flaky-${engine}`),
          allow_private: true,
          retry: { max_attempts: 3, delay_s: 1, backoff: 'fixed' },
        },
        {
          name: 'private',
          type: 'http',
          schedule: NEVER,
          url: url('/never'),
          retry: { max_attempts: 3, delay_s: 1 },
        },
        { name: 'named', type: 'http', schedule: NEVER, url: `http://localhost:${port}/never` },
        {
          name: 'count',
          type: 'service',
          schedule: NEVER,
          pattern: 'db.query',
          payload: { sql: 'SELECT 2 AS two' },
        },
        { name: 'tick', type: 'http', schedule: '* * * * * *', url: url('/tick'), allow_private: true },
      ],
    });
    fx.app('late', { database: databaseSection('late') });
    fx.write('apps/late/cron.yaml', {
      jobs: [
        {
          name: 'hourly',
          type: 'service',
          schedule: '0 * * * *',
          catch_up: 'last',
          pattern: 'db.query',
          payload: { sql: 'SELECT 1 AS one' },
        },
      ],
    });
    mkdirSync(join(fx.root, '../var'), { recursive: true });
    if (engine === 'mariadb') {
      const admin = await adminConnection();
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.end();
    }
    config = loadConfig(fx.root);
    db = await startDbHarness(config.apps, config.global);
    dbSocket = await listenDbSocket(config.global, db.service);
    // The catch-up app ran last five fire times ago (no cron process since).
    for (const sql of cronTablesDdl(dialectOf(engine))) await db.service.query({ app: 'late', sql });
    await db.service.query({
      app: 'late',
      sql: `INSERT INTO ${CRON_RUNS_TABLE} (app, job, scheduled_at, run_trigger, status, attempt, max_attempts) VALUES ('late', 'hourly', ?, 'schedule', 'ok', 1, 1)`,
      params: [lastRun],
    });
    await start();
  });

  afterAll(async () => {
    await stop();
    await dbSocket?.close();
    await db?.close();
    target?.close();
    if (engine === 'mariadb') await dropDatabases([database]);
    fx?.remove();
  });

  it('runs an http job against a loopback target when the job allows private addresses', async () => {
    const run = await call<CronRun>(CRON_PATTERNS.trigger, { app: 'shop', job: 'ping' });
    expect(run).toMatchObject({
      status: 'ok',
      attempt: 1,
      trigger: 'manual',
      summary: { status: 200, body: 'fine' },
    });
    expect(run.owner).toMatch(/:\d+$/);
    expect(hits.get('/ping')).toBe(1);
  });

  it('retries a target failing twice, then answering 200: 3 attempts, ok', async () => {
    const run = await call<CronRun>(CRON_PATTERNS.trigger, { app: 'shop', job: 'flaky' });
    expect(run).toMatchObject({ status: 'ok', attempt: 3, max_attempts: 3, error: null });
    expect(hits.get(`/flaky-${engine}`)).toBe(3);
  });

  it('refuses loopback without allow_private, literal or by name, and does not retry a refusal', async () => {
    for (const job of ['private', 'named']) {
      const run = await call<CronRun>(CRON_PATTERNS.trigger, { app: 'shop', job });
      expect(run).toMatchObject({ status: 'failed', attempt: 1 });
      expect(run.error).toMatch(/^refused: (127\.0\.0\.1|localhost) resolves to .*loopback/);
    }
    expect(hits.get('/never')).toBeUndefined();
  });

  it('calls another service for the job’s app (db.query), its answer in the summary', async () => {
    const run = await call<CronRun>(CRON_PATTERNS.trigger, { app: 'shop', job: 'count' });
    expect(run).toMatchObject({ status: 'ok', summary: { answer: [{ two: 2 }] } });
  });

  it('catch_up: last after 5 missed fire times runs the latest one, once', async () => {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const caught = (await runs('late', 'hourly')).filter(
        (r) => r.trigger === 'catch_up' && r.status !== 'running',
      );
      if (caught.length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
    const all = await runs('late', 'hourly');
    expect(all.map((r) => [r.trigger, r.scheduled_at, r.status])).toEqual([
      ['catch_up', new Date(lastRun + 5 * HOUR_MS).toISOString(), 'ok'],
      ['schedule', new Date(lastRun).toISOString(), 'ok'],
    ]);
  });

  it('runs an every-second job once per fire time; a pause stops it and outlives a restart', async () => {
    const ticks = (await runs('shop', 'tick')).filter((r) => r.trigger === 'schedule');
    expect(ticks.length).toBeGreaterThan(0);
    const times = ticks.map((r) => Date.parse(r.scheduled_at));
    expect(new Set(times).size).toBe(times.length);
    expect(times.every((t) => t % 1000 === 0)).toBe(true);

    const paused = await call<CronJobInfo>(CRON_PATTERNS.pause, { app: 'shop', job: 'tick' });
    expect(paused).toMatchObject({ paused: true, next: [] });
    await stop();
    await start();
    const listed = await call<CronJobInfo[]>(CRON_PATTERNS.list, { app: 'shop' });
    expect(listed.find((j) => j.job === 'tick')).toMatchObject({ paused: true });
    const since = Date.now();
    await new Promise((r) => setTimeout(r, 2500));
    const during = (await runs('shop', 'tick')).filter((r) => Date.parse(r.scheduled_at) > since);
    expect(during).toEqual([]);
    await call(CRON_PATTERNS.resume, { app: 'shop', job: 'tick' });
    await new Promise((r) => setTimeout(r, 2500));
    expect(
      (await runs('shop', 'tick')).filter((r) => Date.parse(r.scheduled_at) > since).length,
    ).toBeGreaterThan(0);
  });

  it('lists jobs with their next 3 fire times in their zone', async () => {
    const listed = await call<CronJobInfo[]>(CRON_PATTERNS.list, {});
    const hourly = listed.find((j) => j.job === 'hourly')!;
    expect(hourly).toMatchObject({ app: 'late', type: 'service', timezone: 'UTC', paused: false });
    expect(hourly.next).toHaveLength(3);
    expect(hourly.next[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00\+00:00$/);
  });

  it('answers stable errors for unknown apps, jobs and bad payloads', async () => {
    await expect(call(CRON_PATTERNS.trigger, { app: 'shop', job: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(call(CRON_PATTERNS.status, { app: 'ghost' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call(CRON_PATTERNS.status, { app: 'shop', limit: 0 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'limit' },
    });
  });

  it('reschedules only the jobs a reload changed', () => {
    fx.write('apps/shop/cron.yaml', {
      jobs: [
        {
          name: 'ping',
          type: 'http',
          schedule: '0 0 2 1 *',
          url: `http://127.0.0.1:${port}/ping`,
          allow_private: true,
        },
        {
          name: 'tick',
          type: 'http',
          schedule: '* * * * * *',
          url: `http://127.0.0.1:${port}/tick`,
          allow_private: true,
        },
      ],
    });
    const scheduler = cron.get(JobScheduler);
    const changes = scheduler.apply(loadCronConfigs(fx.root, config.apps));
    expect(changes).toEqual({
      added: [],
      changed: ['shop/ping'],
      removed: ['shop/flaky', 'shop/private', 'shop/named', 'shop/count'],
    });
    expect(scheduler.apply(loadCronConfigs(fx.root, config.apps))).toEqual({
      added: [],
      changed: [],
      removed: [],
    });
  });
});
