import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from './support/free-port.js';
import { createDemoDatabase, scanSchemaYaml } from './support/schema-scan.js';
import { dropDatabase, startStack, waitUntil, type TestStack } from './support/stack.js';

const DB = `sogoms_test_push_demo_${randomBytes(3).toString('hex')}`;
const SECRET = 'push-demo-secret-0123456789abcdef0123456789';
const DEMO = { email: 'demo@prokov.test', password: 'prokov-demo' };
/** The flags Debian's chromium needs here (docs: stack notes). */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('the push demo page in Chromium, on an SQLite app', () => {
  let stack: TestStack;
  let browser: BrowserContext;
  let profile: string;

  const call = (method: string, path: string, token?: string, body?: unknown) =>
    stack.call({
      host: '127.0.0.1',
      method,
      path: `/api${path}`,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      body,
    });

  beforeAll(async () => {
    // The schema.yaml is scanned from MariaDB; the app itself runs on SQLite.
    await createDemoDatabase(DB);
    const schemaYaml = await scanSchemaYaml(DB);
    const [port, wsPort] = await freePorts(2);
    stack = await startStack(
      [
        {
          name: 'demo',
          hosts: ['127.0.0.1'],
          database: DB,
          secret: SECRET,
          schemaYaml,
          engine: 'sqlite',
          initFromDemo: true,
          appYaml: { push: { tables: { tasks: { channel: 'tasks' } } } },
        },
      ],
      { push: { host: '127.0.0.1', port, ws_port: wsPort } },
    );
    profile = mkdtempSync(join(tmpdir(), 'sogoms-chromium-'));
    // A fresh profile per run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_FLAGS,
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await dropDatabase(DB);
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  it('logs in, subscribes over WebSocket and shows a task event as it happens', async () => {
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') refused.push(message.text());
    });
    const answer = await page.goto(`http://127.0.0.1:${stack.config.gatewayPort}/api/_push/demo`);
    expect(answer?.status()).toBe(200);
    expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.fill('input[name=email]', DEMO.email);
    await page.fill('input[name=password]', DEMO.password);
    await page.click('button[type=submit]');
    await page.locator('#status', { hasText: 'Listening as user' }).waitFor({ timeout: 15_000 });

    const token = (await call('POST', '/auth/login', undefined, DEMO)).json.data.token as string;
    const created = await call('POST', '/tasks', token, { title: 'seen in the browser' });
    expect(created.status).toBe(201);
    const item = page.locator('li.event', { hasText: 'seen in the browser' });
    await item.waitFor({ timeout: 10_000 });
    expect(await item.textContent()).toMatch(new RegExp(`^#\\d+ create tasks ${created.json.data.id}: `));
    expect(refused, refused.join('\n')).toEqual([]);
  });

  it('keeps the outbox in the SQLite database: _events answers the event with its seq', async () => {
    const token = (await call('POST', '/auth/login', undefined, DEMO)).json.data.token as string;
    const created = await call('POST', '/tasks', token, { title: 'kept in sqlite' });
    let events: { seq: number; message: { id: string; row: { title: string } } }[] = [];
    await waitUntil(
      'the event in the outbox',
      async () => {
        events = (await call('GET', '/_events?since=0', token)).json.data.events;
        return events.some((e) => e.message.id === String(created.json.data.id));
      },
      5000,
    );
    const last = events.at(-1)!;
    expect(last.message.row.title).toBe('kept in sqlite');
    const after = (await call('GET', `/_events?since=${last.seq}`, token)).json.data;
    expect(after).toEqual({ events: [], more: false, truncated: false });
  });
});
