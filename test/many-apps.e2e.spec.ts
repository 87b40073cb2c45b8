import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merge, peakConnectionsWhile, runClients } from './support/budget-load.js';
import { freePort } from './support/free-port.js';
import { startScratchMariaDb, type ScratchMariaDb } from './support/scratch-mariadb.js';
import { startStack, waitUntil, type TestStack } from './support/stack.js';
import { writeTestConfig } from './support/test-config.factory.js';

const APPS = 40;
const ITEMS_SCHEMA = `version: 1
tables:
  items:
    public: [list, read]
    fields:
      id: { type: int, primary: true, auto: true }
      name: { type: string, length: 40, required: true }
`;

/**
 * Many apps on one MariaDB, the whole stack: 40 apps with pool_size 10 each (400 connections if
 * each pool filled up) on a scratch server of `max_connections = 30`, so its budget is 24.
 */
describe('40 apps on one MariaDB of max_connections 30, through the gateway', () => {
  let server: ScratchMariaDb;
  let stack: TestStack;
  const apps = Array.from({ length: APPS }, (_, i) => `shop${i}`);
  const items = (app: string) => stack.call({ host: `${app}.test`, path: '/api/items?limit=5' });
  const connectionsPerDatabase = async (): Promise<Map<string, number>> => {
    const admin = await server.admin();
    try {
      const [rows] = await admin.query<RowDataPacket[]>(
        'SELECT DB AS db, COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = ? GROUP BY DB',
        [server.user],
      );
      return new Map(rows.map((row) => [String(row.db), Number(row.n)]));
    } finally {
      await admin.end();
    }
  };

  beforeAll(async () => {
    server = await startScratchMariaDb({ maxConnections: 30 });
    const admin = await server.admin();
    try {
      for (const app of apps)
        await admin.query(
          `CREATE DATABASE ${app}; CREATE TABLE ${app}.items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL);
           INSERT INTO ${app}.items (name) VALUES ('a'), ('b'), ('c'), ('d'), ('e'), ('f');`,
        );
    } finally {
      await admin.end();
    }
    const login = { host: server.host, port: server.port, user: server.user, password: server.password };
    const config = writeTestConfig(
      await freePort(),
      apps.map((app) => ({
        name: app,
        hosts: [`${app}.test`],
        database: app,
        secret: `${app}-secret-0123456789abcdef0123456789`,
        schemaYaml: ITEMS_SCHEMA,
        server: login,
        poolSize: 10,
      })),
    );
    stack = await startStack(config);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await server?.stop();
  });

  it('every app answers under load, no 5xx, and SOGOMS never holds more than the budget of 24', async () => {
    const load = Promise.all(
      apps.map((app) =>
        runClients(2, 3_000, async () => {
          const answer = await items(app);
          if (answer.status !== 200) throw Object.assign(new Error(answer.text), { code: answer.status });
          if (answer.json.data.length !== 5) throw new Error(`got ${answer.text}`);
        }),
      ),
    ).then(merge);
    const { result, peak } = await peakConnectionsWhile(server, server.user, load);
    expect(result.errors).toEqual([]);
    expect(result.latencies.length).toBeGreaterThan(APPS * 2);
    expect(peak).toBeLessThanOrEqual(24);
    // The CLI view of db.stats: the server's budget and what it saw.
    const json = await stack.cli('db', 'stats', '--json');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).servers).toEqual([
      expect.objectContaining({
        server: `${server.host}:${server.port}`,
        server_max_connections: 30,
        budget: 24,
        timed_out_waits: 0,
        refused_1040: 0,
        apps: APPS,
      }),
    ]);
    const text = await stack.cli('db', 'stats');
    expect(text.stdout).toMatch(/^SERVER\s+APPS\s+MAX\s+BUDGET/);
    expect(text.stdout).toContain(`${server.host}:${server.port}  ${APPS}    30   24`);
  });

  it('a reload that removes apps closes their connections and leaves the others', async () => {
    const removed = apps.slice(0, 5);
    // The removed apps were just used (with 40 apps on 24 connections an app may hold none at rest).
    for (const app of removed) expect((await items(app)).status).toBe(200);
    for (const app of removed) rmSync(join(stack.config.configRoot, 'apps', app), { recursive: true });
    const reload = await stack.cli('reload');
    expect(reload.code, reload.stdout + reload.stderr).toBe(0);
    await waitUntil(
      'the removed apps to give back their connections',
      async () => {
        const now = await connectionsPerDatabase();
        return removed.every((app) => !now.has(app));
      },
      10_000,
    );
    expect((await items(removed[0])).status).toBe(404);
    const stats = JSON.parse((await stack.cli('db', 'stats', '--json')).stdout);
    expect(stats.servers[0]).toMatchObject({ apps: APPS - removed.length });
    expect((await items(apps[10])).status).toBe(200);
  });

  it('a budget spent for longer than acquire_timeout_ms: 503 UNAVAILABLE with Retry-After', async () => {
    // A reload may change the budget: one connection, and hardly any wait.
    const file = join(stack.config.configRoot, 'sogoms.yaml');
    const global = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, stringify({ ...global, db: { max_connections: 1, acquire_timeout_ms: 1 } }));
    const reload = await stack.cli('reload');
    expect(reload.code, reload.stdout + reload.stderr).toBe(0);
    const answers = await Promise.all(apps.slice(5).flatMap((app) => [items(app), items(app), items(app)]));
    const busy = answers.filter((a) => a.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0].headers['retry-after']).toBe('1');
    expect(busy[0].json).toEqual({
      success: false,
      error: {
        code: 'UNAVAILABLE',
        message: 'Database is busy: no connection became free in time',
        details: { retry_after_s: 1 },
      },
    });
    // Everything else was answered; none of it was another error.
    expect(answers.filter((a) => a.status !== 503 && a.status !== 200)).toEqual([]);
  });
});
