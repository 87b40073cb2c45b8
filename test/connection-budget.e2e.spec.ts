import { registerDbMetrics } from '@sogoms/db';
import type { DbServerStats } from '@sogoms/ipc';
import {
  startDbHarness,
  testAppConfig,
  testGlobalConfig,
  type DbHarness,
  type TestDbServer,
} from '@sogoms/db/testing';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { merge, peakConnectionsWhile, runClients } from './support/budget-load.js';
import { parsePrometheusText, valueOf } from './support/prometheus-text.js';
import { startScratchMariaDb, type ScratchMariaDb } from './support/scratch-mariadb.js';

/**
 * The connection budget against a MariaDB server of the test's own, started with
 * `max_connections = 30` (the shared server's limit is never touched): many apps share it, wait
 * instead of failing, never hold more than the budget, survive the server's own refusals (1040),
 * and give their connections back when a reload removes them.
 */
describe('connection budget per database server (a scratch MariaDB, max_connections 30)', () => {
  let server: ScratchMariaDb;
  let login: TestDbServer;
  const harnesses: DbHarness[] = [];
  const databases = Array.from({ length: 40 }, (_, i) => `budget_${i}`);

  const harness = async (
    apps: number,
    options: Parameters<typeof testGlobalConfig>[0] = {},
    poolSize = 10,
  ) => {
    const started = await startDbHarness(
      databases.slice(0, apps).map((db) => testAppConfig(db, db, { server: login, poolSize })),
      testGlobalConfig(options),
    );
    harnesses.push(started);
    return started;
  };
  const statsOf = (db: DbHarness): DbServerStats | undefined => db.service.stats().servers[0];
  const sleepyRead = (db: DbHarness, app: string, seconds: number) =>
    db.service.query({ app, sql: 'SELECT SLEEP(?) AS slept, COUNT(*) AS n FROM items', params: [seconds] });
  /** Connection ids of the app user per database, from the server's process list. */
  const connectionIds = async (): Promise<Map<string, Set<number>>> => {
    const admin = await server.admin();
    try {
      const [rows] = await admin.query<RowDataPacket[]>(
        'SELECT ID AS id, DB AS db FROM information_schema.PROCESSLIST WHERE USER = ?',
        [server.user],
      );
      const ids = new Map<string, Set<number>>();
      for (const row of rows) {
        const db = String(row.db);
        if (!ids.has(db)) ids.set(db, new Set());
        ids.get(db)!.add(Number(row.id));
      }
      return ids;
    } finally {
      await admin.end();
    }
  };

  beforeAll(async () => {
    server = await startScratchMariaDb({ maxConnections: 30 });
    login = { host: server.host, port: server.port, user: server.user, password: server.password };
    const admin = await server.admin();
    try {
      for (const db of databases) {
        await admin.query(
          `CREATE DATABASE ${db}; CREATE TABLE ${db}.items (id INT PRIMARY KEY, name VARCHAR(20));
           INSERT INTO ${db}.items VALUES (1, 'one'), (2, 'two');`,
        );
      }
    } finally {
      await admin.end();
    }
  }, 60_000);

  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.close()));
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("derives the budget from the server's max_connections: 30 less a fifth = 24", async () => {
    const db = await harness(2);
    expect(statsOf(db)).toMatchObject({
      server: `${server.host}:${server.port}`,
      server_max_connections: 30,
      budget: 24,
      waiting: 0,
      timed_out_waits: 0,
      refused_1040: 0,
      apps: 2,
    });
  });

  it('40 apps of pool_size 10 under load: every statement answers, never more than 24 connections', async () => {
    const db = await harness(40);
    const load = Promise.all(
      databases.map((app) => runClients(6, 2_000, () => sleepyRead(db, app, 0.005))),
    ).then(merge);
    const { result, peak, samples, peakWaiting } = await peakConnectionsWhile(server, server.user, load, () =>
      statsOf(db),
    );
    expect(result.errors).toEqual([]);
    expect(result.latencies.length).toBeGreaterThan(400);
    expect(samples).toBeGreaterThan(5);
    expect(peak).toBeLessThanOrEqual(24);
    // 240 clients on 24 connections: they did wait (and were served).
    expect(peakWaiting).toBeGreaterThan(0);
    expect(statsOf(db)).toMatchObject({ budget: 24, timed_out_waits: 0, queue_full: 0, refused_1040: 0 });
    expect(db.counters.errors).toBe(0);
  });

  it('another client takes most of the server: 1040s shrink the budget and no statement fails', async () => {
    // A budget of the whole server leaves no head room: the other client's 12 connections (and
    // the scratch server's monitor connection) are what the apps run into: 30 - 13 = 17 left.
    const db = await harness(10, { db: { maxConnections: 30 } });
    const other: Connection[] = [];
    try {
      for (let i = 0; i < 12; i++) other.push(await server.admin());
      const load = Promise.all(
        databases.slice(0, 10).map((app) => runClients(4, 1_500, () => sleepyRead(db, app, 0.01))),
      ).then(merge);
      const { result, peak } = await peakConnectionsWhile(server, server.user, load);
      expect(result.errors).toEqual([]);
      expect(peak).toBeLessThanOrEqual(17);
      const stats = statsOf(db)!;
      expect(stats.refused_1040).toBeGreaterThan(0);
      expect(stats.budget).toBeLessThan(30);
      expect(stats.budget).toBeLessThanOrEqual(17);
      expect(db.counters.errors).toBe(0);
    } finally {
      await Promise.all(other.map((c) => c.end()));
    }
  });

  it('a wait that runs out: UNAVAILABLE with retry_after_s, counted; the queue works again after', async () => {
    const db = await harness(1, { db: { maxConnections: 2, acquireTimeoutMs: 300 } });
    const app = databases[0];
    const holding = [sleepyRead(db, app, 1.5), sleepyRead(db, app, 1.5)];
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await expect(db.service.query({ app, sql: 'SELECT 1 AS one' })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: 'Database is busy: no connection became free in time',
      details: { retry_after_s: 1 },
    });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(1_400);
    expect(statsOf(db)).toMatchObject({ budget: 2, held: 2, in_use: 2, timed_out_waits: 1 });
    // The same on the metrics: the budget full, then one more wait, then the timeout counted.
    const metrics = new Registry();
    registerDbMetrics(metrics, db);
    const server = `${login.host}:${login.port}`;
    const scrape = async () => parsePrometheusText(await metrics.metrics());
    let s = await scrape();
    expect(valueOf(s, 'sogoms_db_budget_connections', { server, state: 'budget' })).toBe(2);
    expect(valueOf(s, 'sogoms_db_budget_connections', { server, state: 'in_use' })).toBe(2);
    expect(valueOf(s, 'sogoms_db_pool_connections', { app, state: 'in_use' })).toBe(2);
    expect(valueOf(s, 'sogoms_db_budget_wait_timeouts_total', { server })).toBe(1);
    expect(valueOf(s, 'sogoms_db_budget_waiting', { server })).toBe(0);
    const waiting = db.service.query({ app, sql: 'SELECT 1 AS one' }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    s = await scrape();
    expect(valueOf(s, 'sogoms_db_budget_waiting', { server })).toBe(1);
    expect(valueOf(s, 'sogoms_db_pool_waiting', { app })).toBe(1);
    await waiting;
    s = await scrape();
    expect(valueOf(s, 'sogoms_db_budget_wait_timeouts_total', { server })).toBe(2);
    expect(valueOf(s, 'sogoms_db_budget_waiting', { server })).toBe(0);
    await Promise.all(holding);
    expect(await db.service.query({ app, sql: 'SELECT 1 AS one' })).toEqual([{ one: 1 }]);
  });

  it('a full queue refuses at once; statements already waiting are still served', async () => {
    const db = await harness(1, { db: { maxConnections: 1, maxWaiting: 2 } });
    const app = databases[0];
    const holding = sleepyRead(db, app, 0.5);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const waiting = [sleepyRead(db, app, 0), sleepyRead(db, app, 0)];
    await expect(db.service.query({ app, sql: 'SELECT 1' })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: 'Database is busy: too many statements are waiting',
      details: { retry_after_s: 1 },
    });
    await holding;
    expect(await Promise.all(waiting)).toHaveLength(2);
    expect(statsOf(db)).toMatchObject({ queue_full: 1, timed_out_waits: 0 });
  });

  it("a reload adding an app leaves the others' connections alone; removing apps frees theirs", async () => {
    const db = await harness(8);
    const apps = databases
      .slice(0, 8)
      .map((name) => testAppConfig(name, name, { server: login, poolSize: 10 }));
    // Two connections per app.
    await Promise.all(
      databases.slice(0, 8).flatMap((app) => [sleepyRead(db, app, 0.1), sleepyRead(db, app, 0.1)]),
    );
    const before = await connectionIds();
    expect([...before.values()].reduce((n, ids) => n + ids.size, 0)).toBe(16);

    const added = testAppConfig(databases[8], databases[8], { server: login, poolSize: 10 });
    expect(await db.registry.apply(db.settings, [...apps, added])).toEqual({
      added: [databases[8]],
      removed: [],
      recreated: [],
    });
    const afterAdd = await connectionIds();
    for (const [name, ids] of before) expect(afterAdd.get(name)).toEqual(ids);
    expect(afterAdd.get(databases[8])?.size).toBe(1);

    // Removing three apps: their connections close, the budget counts them free.
    await db.registry.apply(db.settings, [...apps.slice(3), added]);
    const afterRemove = await connectionIds();
    for (const name of databases.slice(0, 3)) expect(afterRemove.has(name)).toBe(false);
    for (const name of databases.slice(3, 9)) expect(afterRemove.get(name)).toEqual(afterAdd.get(name));
    expect(statsOf(db)).toMatchObject({ held: 11, idle: 11, in_use: 0, apps: 6 });
  });
});
