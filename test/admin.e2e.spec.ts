import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { TOTP } from 'otpauth';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';
import { httpCall, type HttpAnswer } from './support/http-client.js';
import { createDemoDatabase, scanSchemaYaml } from './support/schema-scan.js';
import { dropDatabase, startStack, waitUntil, type TestStack } from './support/stack.js';

const SHOP_DB = `sogoms_test_admin_shop_${randomBytes(3).toString('hex')}`;
const FRESH_DB = `sogoms_test_admin_new_${randomBytes(3).toString('hex')}`;
const SECRET = 'admin-e2e-secret-0123456789abcdef0123456789';
const ROOT = { username: 'root', password: 'root-password-1' };
const TINA = { username: 'tina', password: 'tina-password-1' };
const ALICE = { username: 'alice', password: 'alice-password-1' };
const OLGA = { username: 'olga', password: 'olga-password-1' };
/** The flags Debian's chromium needs here (stack notes); playwright gives each launch a fresh profile. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Set to a folder to keep screenshots of the main pages (docs/admin.md's come from here). */
const SCREENSHOTS = process.env.SOGOMS_ADMIN_SCREENSHOTS;

/** A cookie jar of one: the admin's session cookie, as a browser would keep it. */
class AdminClient {
  cookie = '';

  constructor(
    private readonly port: number,
    private readonly ip: string,
  ) {}

  async call(
    method: string,
    path: string,
    form?: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer> {
    const answer = await httpCall(this.port, {
      method,
      path,
      headers: {
        'x-forwarded-for': this.ip,
        ...(this.cookie === '' ? {} : { cookie: this.cookie }),
        ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
        ...headers,
      },
      body: form === undefined ? undefined : new URLSearchParams(form).toString(),
    });
    const set = answer.headers['set-cookie'];
    const first = Array.isArray(set) ? set[0] : set;
    if (first !== undefined) this.cookie = first.split(';')[0];
    return answer;
  }

  /** The CSRF token of a page (its forms' hidden `_csrf`). */
  async token(path: string): Promise<string> {
    const page = await this.call('GET', path);
    const match = /name="_csrf" value="([^"]+)"/.exec(page.text);
    if (match === null) throw new Error(`no CSRF token on ${path} (status ${page.status})`);
    return match[1];
  }

  async login(user: { username: string; password: string }): Promise<HttpAnswer> {
    const csrf = await this.token('/login');
    return this.call('POST', '/login', { _csrf: csrf, ...user }, { origin: this.origin });
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }
}

describe('the admin UI, in Chromium and over HTTP', () => {
  let stack: TestStack;
  let adminPort: number;
  let browser: Browser;
  let tinaSecret: string;
  /** Signed in once: the per-username limit (5 a minute) counts every sign-in of root. */
  let rootClient: AdminClient;
  let ipCounter = 0;
  /** Each test signs in from its own address (the admin trusts 127.0.0.1 as its proxy): the per-IP limit stays per test. */
  const nextIp = (): string => `10.9.0.${++ipCounter}`;
  const base = (): string => `http://127.0.0.1:${adminPort}`;

  const newContext = (): Promise<BrowserContext> =>
    browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': nextIp() } });

  const signIn = async (
    context: BrowserContext,
    user: { username: string; password: string },
  ): Promise<Page> => {
    const page = await context.newPage();
    await page.goto(`${base()}/login`);
    await page.fill('input[name=username]', user.username);
    await page.fill('input[name=password]', user.password);
    await page.click('button[type=submit]');
    return page;
  };

  const shot = async (page: Page, name: string): Promise<void> => {
    if (SCREENSHOTS === undefined) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.setViewportSize({ width: 1100, height: 700 });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  };

  beforeAll(async () => {
    await createDemoDatabase(SHOP_DB);
    const schemaYaml = await scanSchemaYaml(SHOP_DB);
    // The database an operator brings in through the admin: one table, no users table yet.
    const root = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
    await root.query(`CREATE DATABASE ${FRESH_DB}`);
    await root.query(
      `CREATE TABLE ${FRESH_DB}.notes (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, title VARCHAR(200) NOT NULL, body TEXT NULL)`,
    );
    await root.query(`INSERT INTO ${FRESH_DB}.notes (title) VALUES ('first note')`);
    await root.end();
    adminPort = await freePort();
    stack = await startStack(
      [{ name: 'shop', hosts: ['shop.test'], database: SHOP_DB, secret: SECRET, schemaYaml }],
      {
        admin: { port: adminPort, trust_proxy: ['127.0.0.1'] },
      },
    );
    await waitUntil(
      'the admin to be healthy',
      async () => (await httpCall(adminPort, { path: '/health' })).status === 200,
      30_000,
    );
    for (const [user, role] of [
      [ROOT, ['--role', 'super_admin']],
      [TINA, ['--role', 'super_admin']],
      [ALICE, ['--role', 'app_admin', '--apps', 'shop']],
      [OLGA, ['--role', 'super_admin']],
    ] as const) {
      const added = await stack.cli('admin', 'add', user.username, '--password', user.password, ...role);
      expect(added.code, added.stderr).toBe(0);
    }
    const totp = await stack.cli('admin', 'totp', TINA.username);
    expect(totp.code, totp.stderr).toBe(0);
    tinaSecret = /secret: ([A-Z2-7]+)/.exec(totp.stdout)?.[1] ?? '';
    rootClient = new AdminClient(adminPort, nextIp());
    expect((await rootClient.login(ROOT)).status).toBe(303);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_FLAGS,
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await dropDatabase(SHOP_DB);
    await dropDatabase(FRESH_DB);
  });

  it('signs in without TOTP and shows every supervised service with its memory', async () => {
    const context = await newContext();
    const page = await signIn(context, ROOT);
    await page.waitForURL(`${base()}/`);
    const services = page.locator('[data-testid=services] tbody tr');
    await expect.poll(() => services.count()).toBeGreaterThanOrEqual(5);
    const text = await page.locator('[data-testid=services]').innerText();
    for (const name of ['logs', 'db', 'mailer', 'cron', 'gateway', 'admin']) expect(text).toContain(name);
    expect(text).toMatch(/\d+ MB/);
    expect(await page.locator('[data-testid=apps]').innerText()).toContain('shop.test');
    await shot(page, 'dashboard');
    await context.close();
  });

  it('signs in with TOTP: the password alone is not enough, a wrong code is refused, the right one lets in', async () => {
    const context = await newContext();
    const page = await signIn(context, TINA);
    await page.waitForURL(`${base()}/login/totp`);
    // Without the code, the dashboard is not reachable.
    await page.goto(`${base()}/`);
    await page.waitForURL(`${base()}/login`);
    await page.goto(`${base()}/login/totp`);
    await page.fill('input[name=code]', '000000');
    await page.click('button[type=submit]');
    expect(await page.locator('[data-testid=login-error]').innerText()).toMatch(/not valid/);
    // Signing in again restarts the two steps.
    const again = await signIn(context, TINA);
    await again.waitForURL(`${base()}/login/totp`);
    await again.fill('input[name=code]', new TOTP({ secret: tinaSecret }).generate());
    await again.click('button[type=submit]');
    await again.waitForURL(`${base()}/`);
    expect(await again.locator('[data-testid=logout]').innerText()).toContain('tina');
    await context.close();
  });

  it('refuses a change without the CSRF token, and from another origin even with it (403)', async () => {
    const client = rootClient;
    const csrf = await client.token('/');
    const noToken = await client.call('POST', '/reload', {}, { origin: client.origin });
    expect(noToken.status).toBe(403);
    expect(noToken.text).toMatch(/CSRF/);
    const wrongToken = await client.call('POST', '/reload', { _csrf: 'forged' }, { origin: client.origin });
    expect(wrongToken.status).toBe(403);
    const crossSite = await client.call('POST', '/reload', { _csrf: csrf }, { origin: 'http://evil.test' });
    expect(crossSite.status).toBe(403);
    const noOrigin = await client.call('POST', '/reload', { _csrf: csrf });
    expect(noOrigin.status).toBe(403);
    // With both, it goes through (the supervisor reloads).
    const good = await client.call('POST', '/reload', { _csrf: csrf }, { origin: client.origin });
    expect(good.status).toBe(303);
    expect(decodeURIComponent(String(good.headers.location))).toMatch(/reloaded/);
  });

  it('answers the sixth sign-in attempt in a minute with 429 and Retry-After, per IP and per username', async () => {
    const client = new AdminClient(adminPort, nextIp());
    for (let i = 0; i < 5; i++) {
      const wrong = await client.login({ username: 'nobody', password: `wrong-${i}` });
      expect(wrong.status).toBe(422);
      expect(wrong.text).toContain('Wrong username or password');
    }
    const sixth = await client.login({ username: 'nobody', password: 'wrong-6' });
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right password of a real user: the IP is over its limit.
    expect((await client.login(OLGA)).status).toBe(429);
    // Per username: the same username from other addresses is counted together.
    for (let i = 0; i < 5; i++)
      await new AdminClient(adminPort, nextIp()).login({ username: 'victim', password: 'x' });
    expect(
      (await new AdminClient(adminPort, nextIp()).login({ username: 'victim', password: 'x' })).status,
    ).toBe(429);
  });

  it('creates an app on a fresh database, shows its tables, makes a user who then calls its API through the gateway', async () => {
    const context = await newContext();
    const page = await signIn(context, ROOT);
    await page.waitForURL(`${base()}/`);
    await page.goto(`${base()}/apps/new`);
    const fill = async (name: string, value: string): Promise<void> =>
      page.fill(`input[name=${name}]`, value);
    await fill('name', 'notes');
    await fill('hosts', 'notes.test');
    await fill('db_host', '127.0.0.1');
    await fill('db_port', '3306');
    await fill('db_user', 'root');
    await fill('db_name', 'no_such_database_here');
    await page.click('[data-testid=test-connection]');
    await expect
      .poll(() => page.locator('[data-testid=connection-result] [data-ok]').getAttribute('data-ok'))
      .toBe('false');
    await fill('db_name', FRESH_DB);
    await page.click('[data-testid=test-connection]');
    await expect.poll(() => page.locator('[data-testid=connection-result]').innerText()).toMatch(/Connected/);
    await shot(page, 'app-new');
    await page.click('[data-testid=create-app]');
    await page.waitForURL(new RegExp(`${base()}/apps/notes`), { timeout: 30_000 });
    expect(await page.locator('[data-testid=table-notes] summary').innerText()).toContain('notes');
    expect(await page.locator('[data-testid=routes]').innerText()).toContain('/api/notes');
    await shot(page, 'app-detail');

    await page.goto(`${base()}/apps/notes/users`);
    await page.fill('input[name=login]', 'writer@notes.test');
    await page.fill('input[name=password]', 'writer-password');
    await page.selectOption('select[name=role]', 'admin');
    await page.click('[data-testid=create-user]');
    await page.waitForURL(/notice=/);
    expect(await page.locator('[data-testid=app-users]').innerText()).toContain('writer@notes.test');

    // The new app answers at once, without a restart.
    const login = await stack.call({
      host: 'notes.test',
      method: 'POST',
      path: '/api/auth/login',
      body: { email: 'writer@notes.test', password: 'writer-password' },
    });
    expect(login.status, login.text).toBe(200);
    const token = login.json.data.token as string;
    const notes = await stack.call({
      host: 'notes.test',
      path: '/api/notes',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(notes.status, notes.text).toBe(200);
    expect(notes.json.data).toEqual([expect.objectContaining({ title: 'first note' })]);

    // Schema in sync; the audit names who made the app.
    await page.goto(`${base()}/apps/notes/schema`);
    expect(await page.locator('[data-testid=schema-status]').innerText()).toMatch(/In sync/);
    await page.goto(`${base()}/audit`);
    const audit = await page.locator('[data-testid=audit]').innerText();
    expect(audit).toMatch(/root.*app\.create.*notes/s);
    expect(audit).toMatch(/user\.create/);
    await shot(page, 'audit');
    await page.goto(`${base()}/apps/notes/logs`);
    await shot(page, 'logs');
    await context.close();
  }, 90_000);

  it('shows a schema out of sync with the DDL migrate would run, and applies it after the confirm step', async () => {
    const root = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
    await root.query(`ALTER TABLE ${FRESH_DB}.notes DROP COLUMN body`);
    await root.end();
    const client = rootClient;
    const status = await client.call('GET', '/apps/notes/schema');
    expect(status.text).toMatch(/Not in sync/);
    // The page escapes the DDL as HTML text (backticks as entities).
    const ddl = status.text.replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c)));
    expect(ddl, ddl.slice(ddl.indexOf('<pre'), ddl.indexOf('</pre>'))).toMatch(
      /ALTER TABLE `notes`[\s\S]*ADD COLUMN `body`/,
    );
    const plan = /name="plan" value="([^"]+)"/.exec(status.text)?.[1] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(status.text)?.[1] ?? '';
    const stale = await client.call(
      'POST',
      '/apps/notes/migrate',
      { _csrf: csrf, plan: 'old', confirm: 'on' },
      { origin: client.origin },
    );
    expect(stale.status).toBe(409);
    const applied = await client.call(
      'POST',
      '/apps/notes/migrate',
      { _csrf: csrf, plan, confirm: 'on' },
      { origin: client.origin },
    );
    expect(applied.status).toBe(303);
    expect((await client.call('GET', '/apps/notes/schema')).text).toMatch(/In sync/);
  });

  it('gives an app_admin 403 for every page and action of another app and for the super_admin pages', async () => {
    const alice = new AdminClient(adminPort, nextIp());
    const signedIn = await alice.login(ALICE);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe('/');
    const csrf = await alice.token('/apps/shop');
    const own = [
      '/apps/shop',
      '/apps/shop/schema',
      '/apps/shop/users',
      '/apps/shop/jobs',
      '/apps/shop/mail',
      '/apps/shop/logs',
    ];
    for (const path of own) {
      const a = await alice.call('GET', path);
      expect(a.status, `${path} ${String(a.headers.location)} ${a.text.slice(-300)}`).toBe(200);
    }
    const foreignGets = [
      '/apps/notes',
      '/apps/notes/schema',
      '/apps/notes/users',
      '/apps/notes/jobs',
      '/apps/notes/mail',
      '/apps/notes/mail/1',
      '/apps/notes/logs',
      '/apps/notes/logs/tail',
      '/apps/nonexistent',
    ];
    const superGets = ['/apps/new', '/audit'];
    for (const path of [...foreignGets, ...superGets]) {
      const answer = await alice.call('GET', path);
      expect(answer.status, path).toBe(403);
      expect(answer.text, path).not.toContain('data-testid="table-');
    }
    const posts = [
      '/apps/notes/scan',
      '/apps/notes/migrate',
      '/apps/notes/users',
      '/apps/notes/users/1/role',
      '/apps/notes/users/1/disable',
      '/apps/notes/jobs/x/trigger',
      '/apps/notes/jobs/x/pause',
      '/apps/notes/jobs/x/resume',
      '/apps/notes/mail/1/retry',
      '/apps/notes/mail/1/cancel',
      '/apps/notes/secrets/jwt',
      '/apps/shop/secrets/jwt',
      '/apps',
      '/apps/test-connection',
      '/services/gateway/restart',
      '/reload',
    ];
    for (const path of posts)
      expect((await alice.call('POST', path, { _csrf: csrf }, { origin: alice.origin })).status, path).toBe(
        403,
      );
    // The same routes answer a super_admin (so the 403 above is about the role, not a broken route).
    const root = rootClient;
    for (const path of [
      ...own,
      '/apps/notes',
      '/apps/notes/users',
      '/apps/notes/logs',
      '/apps/new',
      '/audit',
    ])
      expect((await root.call('GET', path)).status, path).toBe(200);
  });

  it('sends pages with a strict CSP, DENY framing and no caching', async () => {
    const client = rootClient;
    const page = await client.call('GET', '/');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['cache-control']).toBe('no-store');
    const cookie = (await new AdminClient(adminPort, nextIp()).call('GET', '/login')).headers['set-cookie'];
    expect(String(cookie)).toMatch(/HttpOnly/);
    expect(String(cookie)).toMatch(/SameSite=Strict/);
  });

  it('ends the session at logout over HTTP: the old cookie no longer opens a page', async () => {
    const client = new AdminClient(adminPort, nextIp());
    expect((await client.login(OLGA)).status).toBe(303);
    const old = client.cookie;
    const csrf = await client.token('/');
    const out = await client.call('POST', '/logout', { _csrf: csrf }, { origin: client.origin });
    expect(out.status, out.text).toBe(303);
    client.cookie = old;
    expect((await client.call('GET', '/')).status).toBe(303);
  });

  it('ends the session at logout: the old cookie no longer opens a page', async () => {
    const context = await newContext();
    const page = await signIn(context, ROOT);
    await page.waitForURL(`${base()}/`);
    const cookies = await context.cookies();
    await page.click('[data-testid=logout]');
    await page.waitForURL(`${base()}/login`);
    const replay = await newContext();
    await replay.addCookies(cookies);
    const again = await replay.newPage();
    await again.goto(`${base()}/`);
    expect(again.url()).toBe(`${base()}/login`);
    await replay.close();
    await context.close();
  });
});
