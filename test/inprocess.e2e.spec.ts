import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DB_PATTERNS, IpcClient, socketPath, UnixSocketClient, type DbStats } from '@sogoms/ipc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createDemoDatabase, scanSchemaYaml } from './support/schema-scan.js';
import { dropDatabase, startStack, waitUntil, type TestStack } from './support/stack.js';

const DB = `sogoms_test_inprocess_${randomBytes(3).toString('hex')}`;
const SECRET = 'inprocess-secret-0123456789abcdef0123456789';
const DEMO = { email: 'demo@prokov.test', password: 'prokov-demo' };

describe('transport.kind inprocess: the db module inside the gateway, end to end', () => {
  let stack: TestStack;
  let token: string;
  const call = (host: string, method: string, path: string, auth?: string, body?: unknown) =>
    stack.call({
      host,
      method,
      path: `/api${path}`,
      headers: auth === undefined ? {} : { authorization: `Bearer ${auth}` },
      body,
    });

  beforeAll(async () => {
    await createDemoDatabase(DB);
    const schemaYaml = await scanSchemaYaml(DB);
    stack = await startStack(
      [{ name: 'local', hosts: ['local.test'], database: DB, secret: SECRET, schemaYaml }],
      {
        transport: 'inprocess',
      },
    );
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await dropDatabase(DB);
  });

  it('runs no db service: the gateway waits only for logs', async () => {
    const status = JSON.parse((await stack.cli('status', '--json')).stdout) as {
      services: { name: string }[];
    };
    expect(status.services.map((s) => s.name)).toEqual(['logs', 'gateway']);
    expect((await stack.call({ path: '/health' })).status).toBe(200);
  });

  it('logs in and reads rows through the generated API, values as over IPC', async () => {
    const login = await call('local.test', 'POST', '/auth/login', undefined, DEMO);
    expect(login.status).toBe(200);
    token = login.json.data.token;
    const tasks = await call('local.test', 'GET', '/tasks?limit=5', token);
    expect(tasks.status).toBe(200);
    expect(tasks.json.meta).toEqual({ total: 12, limit: 5, offset: 0 });
    expect(tasks.json.data[0]).toMatchObject({
      id: 1,
      user_id: 1,
      title: 'Buy groceries',
      due_date: '2026-12-01',
    });
    // DATETIME as an ISO string: the same JSON the db service would have sent.
    expect(tasks.json.data[0].created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const one = await call('local.test', 'GET', '/tasks/1', token);
    expect(one.json.data).toEqual(tasks.json.data[0]);
  });

  it('answers db.stats and db.ping on {run_dir}/db.sock, counting the statements it ran', async () => {
    const client = new IpcClient(new UnixSocketClient({ path: socketPath(stack.config.runDir, 'db') }), {
      timeoutMs: 5000,
    });
    try {
      const before = await client.call<DbStats>(DB_PATTERNS.stats, {});
      expect(before.apps).toEqual(['local']);
      expect((await call('local.test', 'GET', '/tasks?limit=1', token)).status).toBe(200);
      const after = await client.call<DbStats>(DB_PATTERNS.stats, {});
      expect(after.queries).toBeGreaterThan(before.queries);
      expect(await client.call(DB_PATTERNS.ping, { app: 'local' })).toEqual({ ok: true, app: 'local' });
      // Statements are not served there: only diagnostics.
      await expect(client.call(DB_PATTERNS.query, { app: 'local', sql: 'SELECT 1' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    } finally {
      await client.close();
    }
  });

  it('sogoms reload gives a new app its pool in the gateway', async () => {
    const source = join(stack.config.configRoot, 'apps', 'local', 'app.yaml');
    const app = parse(readFileSync(source, 'utf8')) as Record<string, unknown>;
    const dir = join(stack.config.configRoot, 'apps', 'second');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'app.yaml'), stringify({ ...app, name: 'second', hosts: ['second.test'] }));
    expect((await call('second.test', 'POST', '/auth/login', undefined, DEMO)).status).toBe(404);
    const reloaded = await stack.cli('reload');
    expect(reloaded.code).toBe(0);
    await waitUntil(
      'the new app to log in',
      async () => (await call('second.test', 'POST', '/auth/login', undefined, DEMO)).status === 200,
      10_000,
    );
  });
});
