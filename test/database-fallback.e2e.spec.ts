import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';
import { startStack, waitUntil, type TestStack } from './support/stack.js';
import { PROJECT_ROOT } from './support/test-config.factory.js';
import { plainDemoSchemaYaml } from './support/demo-schema.js';

const DEMO = join(PROJECT_ROOT, 'config/apps/prokov');
const SECRET = 'fallback-secret-0123456789abcdef0123456789';

/** The demo's app.yaml database section, its MariaDB on `port`, with the demo's SQLite fallback. */
const demoDatabase = (port: number) => ({
  host: '127.0.0.1',
  port,
  user: 'root',
  password: '',
  name: 'sogoms_test_fallback_never_created',
  init: [join(DEMO, 'sql/schema.sql'), join(DEMO, 'sql/seed.sql')],
  fallback: {
    driver: 'sqlite',
    file: '../var/fallback.sqlite',
    init: [join(DEMO, 'sql/sqlite/schema.sql'), join(DEMO, 'sql/seed.sql')],
  },
});

describe('an app whose MariaDB is not there at start runs on its declared SQLite fallback', () => {
  let stack: TestStack;
  let closedPort: number;
  const call = (method: string, path: string, body?: unknown, token?: string) =>
    stack.call({
      host: 'fallback.test',
      method,
      path: `/api${path}`,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      body,
    });

  beforeAll(async () => {
    // Nothing listens there: a port that was free a moment ago.
    closedPort = await freePort();
    stack = await startStack([
      {
        name: 'fallback',
        hosts: ['fallback.test'],
        database: 'unused',
        secret: SECRET,
        schemaYaml: plainDemoSchemaYaml(),
        appYaml: { database: demoDatabase(closedPort) },
      },
    ]);
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('says so at start, loudly, and in `sogoms status`', async () => {
    await waitUntil('the banner', () => Promise.resolve(stack.output().includes('SOGOMS is up')), 10_000);
    const output = stack.output();
    expect(output).toContain(
      `app fallback runs on its FALLBACK database (sqlite ${join(stack.config.dir, 'var/fallback.sqlite')}): ` +
        `MariaDB at 127.0.0.1:${closedPort} could not be reached (connection refused)`,
    );
    expect(output).toMatch(/SOGOMS is up: .*app fallback.* — ON THE SQLITE FALLBACK \(MariaDB at/);
    const status = await stack.cli('status');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('app fallback: ON ITS FALLBACK DATABASE (sqlite ');
    const json = JSON.parse((await stack.cli('status', '--json')).stdout) as { fallbacks: unknown[] };
    expect(json.fallbacks).toEqual([
      {
        app: 'fallback',
        driver: 'sqlite',
        file: join(stack.config.dir, 'var/fallback.sqlite'),
        reason: `MariaDB at 127.0.0.1:${closedPort} could not be reached (connection refused)`,
      },
    ]);
  });

  it('serves the demo from the fallback: login, the seeded rows, a write', async () => {
    const login = await call('POST', '/auth/login', { email: 'demo@prokov.test', password: 'prokov-demo' });
    expect(login.status).toBe(200);
    const token = login.json.data.token as string;
    expect((await call('GET', '/auth/me', undefined, token)).json.data.user.email).toBe('demo@prokov.test');
    const tasks = await call('GET', '/tasks?limit=1&count=true', undefined, token);
    expect(tasks.status).toBe(200);
    expect(tasks.json.meta.total).toBe(12);
    const created = await call('POST', '/tasks', { title: 'Written to the fallback' }, token);
    expect(created.status).toBe(201);
    expect(created.json.data).toMatchObject({ id: 13, title: 'Written to the fallback', user_id: 1 });
    expect((await call('GET', `/tasks/13`, undefined, token)).json.data.title).toBe(
      'Written to the fallback',
    );
  });
});
