import { startDbHarness, testAppConfig, testGlobalConfig, type DbHarness } from '@sogoms/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merge, percentile, runClients } from './support/budget-load.js';
import { startScratchMariaDb, type ScratchMariaDb } from './support/scratch-mariadb.js';

const QUIET_APPS = 39;
const BUSY_CLIENTS = 64;
const RUN_MS = 3_000;

/**
 * Fairness of the connection budget (serial: it compares latencies). One busy app with 64
 * clients and a pool_size that could take the whole budget, beside 39 quiet apps of one client
 * each, on a scratch server whose budget (60) is smaller than what they would all like. Each
 * statement holds its connection 10 ms (`SLEEP`), so connections, not CPU, are what runs out.
 */
describe('connection budget fairness (a scratch MariaDB, max_connections 75: budget 60)', () => {
  let server: ScratchMariaDb;
  let db: DbHarness;
  const quiet = Array.from({ length: QUIET_APPS }, (_, i) => `quiet_${i}`);

  const read = (app: string) =>
    db.service.query({ app, sql: 'SELECT SLEEP(0.01) AS slept, COUNT(*) AS n FROM items' });
  const quietLoad = () => Promise.all(quiet.map((app) => runClients(1, RUN_MS, () => read(app)))).then(merge);

  beforeAll(async () => {
    server = await startScratchMariaDb({ maxConnections: 75 });
    const login = { host: server.host, port: server.port, user: server.user, password: server.password };
    const admin = await server.admin();
    try {
      for (const name of ['busy', ...quiet])
        await admin.query(
          `CREATE DATABASE ${name}; CREATE TABLE ${name}.items (id INT PRIMARY KEY); INSERT INTO ${name}.items VALUES (1);`,
        );
    } finally {
      await admin.end();
    }
    db = await startDbHarness(
      [
        testAppConfig('busy', 'busy', { server: login, poolSize: 64 }),
        ...quiet.map((name) => testAppConfig(name, name, { server: login, poolSize: 4 })),
      ],
      testGlobalConfig(),
    );
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await server?.stop();
  });

  it("one app at 64 clients leaves the 39 quiet apps' p99 within 3x of their p99 alone", async () => {
    expect(db.service.stats().servers[0]).toMatchObject({ budget: 60, apps: 40 });
    // Warm up: every quiet app has its connection and the busy app its share.
    await Promise.all([quietLoad(), runClients(BUSY_CLIENTS, RUN_MS, () => read('busy'))]);

    const alone = await quietLoad();
    const [shared, busy] = await Promise.all([
      quietLoad(),
      runClients(BUSY_CLIENTS, RUN_MS, () => read('busy')),
    ]);

    expect([...alone.errors, ...shared.errors, ...busy.errors]).toEqual([]);
    const aloneP99 = percentile(alone.latencies, 99);
    const sharedP99 = percentile(shared.latencies, 99);
    expect(sharedP99).toBeLessThanOrEqual(3 * aloneP99);
    // The busy app was served too: the 21 connections the quiet apps leave, about 10 ms per statement.
    expect(busy.latencies.length).toBeGreaterThan((shared.latencies.length / QUIET_APPS) * 10);
    expect(db.service.stats().servers[0]).toMatchObject({ timed_out_waits: 0, refused_1040: 0 });
    console.log(
      `fairness: quiet p99 alone ${aloneP99.toFixed(1)} ms, beside the busy app ${sharedP99.toFixed(1)} ms; ` +
        `busy ${busy.latencies.length} statements, p99 ${percentile(busy.latencies, 99).toFixed(1)} ms`,
    );
  }, 60_000);
});
