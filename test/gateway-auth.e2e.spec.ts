import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, startStack, waitUntil, type TestStack } from './support/stack.js';

const DB = `sogoms_test_e2e_auth_${randomBytes(3).toString('hex')}`;
const DEMO = { email: 'demo@prokov.test', password: 'prokov-demo' };
const SECRET = 'demo-app-secret-0123456789abcdef0123456789';

const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const forge = (header: object, payload: object, secret: string | null): string => {
  const head = `${b64url(header)}.${b64url(payload)}`;
  return `${head}.${secret === null ? '' : createHmac('sha256', secret).update(head).digest('base64url')}`;
};

describe('gateway auth, end to end through the supervisor', () => {
  let stack: TestStack;
  const demo = (call: Parameters<TestStack['call']>[0]) => stack.call({ host: 'demo.test', ...call });
  const login = (body: unknown) => demo({ method: 'POST', path: '/api/auth/login', body });
  const me = (authorization?: string) =>
    demo({ path: '/api/auth/me', headers: authorization === undefined ? {} : { authorization } });

  beforeAll(async () => {
    stack = await startStack(
      [
        {
          name: 'demo',
          hosts: ['demo.test', 'Demo2.Test'],
          database: DB,
          secret: SECRET,
          initFromDemo: true,
          demoScenarios: true,
        },
        {
          name: 'other',
          hosts: ['other.test'],
          database: DB,
          secret: 'other-app-secret-0123456789abcdef0123456789',
        },
      ],
      { requestLogPercent: 100 },
    );
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await dropDatabase(DB);
  });

  it('answers /health on any host', async () => {
    const answer = await stack.call({ path: '/health', host: 'whatever.example' });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      success: true,
      data: { status: 'ok', dependencies: { db: 'ok', logs: 'ok', mailer: 'ok' } },
    });
    const ready = await stack.call({ path: '/health/ready', host: 'whatever.example' });
    expect(ready.json).toEqual(answer.json);
    const live = await stack.call({ path: '/health/live', host: 'whatever.example' });
    expect(live.status).toBe(200);
    expect(live.json).toEqual({ success: true, data: { status: 'ok' } });
  });

  it('refuses an unknown host and paths outside the base path with a JSON 404', async () => {
    const unknown = await stack.call({ path: '/api/auth/me', host: 'nobody.test' });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
    const outside = await demo({ path: '/elsewhere' });
    expect(outside.status).toBe(404);
    expect(outside.json.error.code).toBe('NOT_FOUND');
    const internal = await demo({ path: '/_app/auth/me' });
    expect(internal.status).toBe(404);
  });

  it('logs the demo user in with the enriched answer and no password hash', async () => {
    const answer = await login(DEMO);
    expect(answer.status).toBe(200);
    const data = answer.json.data;
    expect(data.token).toMatch(/^eyJ/);
    expect(data.user).toMatchObject({ email: DEMO.email });
    expect(JSON.stringify(data)).not.toContain('password');
    for (const key of ['projects', 'statuses', 'tags', 'tasks', 'task_tags']) {
      expect(Array.isArray(data[key]), key).toBe(true);
      expect(data[key].length, key).toBeGreaterThan(0);
    }
    const ownIds = new Set(data.projects.map((p: { id: number }) => p.id));
    expect(
      data.tasks.every(
        (t: { project_id: number | null }) => t.project_id === null || ownIds.has(t.project_id),
      ),
    ).toBe(true);
  });

  it('resolves the host case-insensitively and ignores the port', async () => {
    const answer = await stack.call({
      method: 'POST',
      path: '/api/auth/login',
      host: 'DEMO2.test:8080',
      body: DEMO,
    });
    expect(answer.status).toBe(200);
  });

  it('gives the same 401 for an unknown email and a wrong password', async () => {
    const wrong = await login({ email: DEMO.email, password: 'not-the-password' });
    const unknown = await login({ email: 'nobody@prokov.test', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json).toEqual(unknown.json);
    expect(wrong.json.error.code).toBe('UNAUTHORIZED');
  });

  it('writes failed logins to the app event log', async () => {
    await login({ email: 'intruder@prokov.test', password: 'guess-guess' });
    const file = (): string | undefined =>
      readdirSync(stack.config.logDir).find((f) => /^demo-\d{8}-event\.log$/.test(f));
    let text = '';
    for (let i = 0; i < 50 && !text.includes('intruder@prokov.test'); i += 1) {
      const name = file();
      if (name !== undefined) text = readFileSync(join(stack.config.logDir, name), 'utf8');
      await new Promise((r) => setTimeout(r, 100));
    }
    const entry = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; data?: { email?: string } })
      .find((e) => e.data?.email === 'intruder@prokov.test');
    expect(entry?.kind).toBe('login_failed');
  });

  it('answers /auth/me for a valid token', async () => {
    const token = (await login(DEMO)).json.data.token as string;
    const answer = await me(`Bearer ${token}`);
    expect(answer.status).toBe(200);
    expect(answer.json.data.user.email).toBe(DEMO.email);
    expect(answer.json.data.user.password_hash).toBeUndefined();
  });

  it('refuses every kind of bad token with 401', async () => {
    const token = (await login(DEMO)).json.data.token as string;
    const [head, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const otherToken = (
      await stack.call({
        method: 'POST',
        path: '/api/auth/register',
        host: 'other.test',
        body: { email: `other-${Date.now()}@x.test`, password: 'other-password-1' },
      })
    ).json.data.token as string;
    const now = Math.floor(Date.now() / 1000);
    const cases: Record<string, string | undefined> = {
      missing: undefined,
      'not bearer': `Basic ${token}`,
      malformed: 'Bearer not.a.jwt!',
      'empty bearer': 'Bearer ',
      tampered: `Bearer ${head}.${b64url({ ...claims, role: 'admin' })}.${signature}`,
      'bad signature': `Bearer ${head}.${payload}.${signature.slice(0, -4)}AAAA`,
      expired: `Bearer ${forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now - 100, exp: now - 10 }, SECRET)}`,
      'alg none': `Bearer ${forge({ alg: 'none', typ: 'JWT' }, claims, null)}`,
      'other app': `Bearer ${otherToken}`,
    };
    for (const [name, authorization] of Object.entries(cases)) {
      const answer = await me(authorization);
      expect(answer.status, name).toBe(401);
      expect(answer.json, name).toMatchObject({ success: false, error: { code: 'UNAUTHORIZED' } });
    }
  });

  it('registers a user, refuses a duplicate email and weak or missing fields', async () => {
    const email = `new-${Date.now()}@prokov.test`;
    const created = await demo({
      method: 'POST',
      path: '/api/auth/register',
      body: { email: email.toUpperCase(), password: 'a-good-password', name: 'New User' },
    });
    expect(created.status).toBe(201);
    expect(created.json.data.user).toMatchObject({ email, name: 'New User', role: 'default' });
    expect(created.json.data.user.password_hash).toBeUndefined();
    expect((await me(`Bearer ${created.json.data.token}`)).json.data.user.email).toBe(email);

    const duplicate = await demo({
      method: 'POST',
      path: '/api/auth/register',
      body: { email, password: 'another-password' },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json.error.code).toBe('CONFLICT');

    const bad = [
      { email: 'x@prokov.test', password: 'short' },
      { email: 'x@prokov.test', password: 'password' },
      { email: 'not-an-email', password: 'a-good-password' },
      { password: 'a-good-password' },
      { email: 'x@prokov.test' },
      { email: 'x@prokov.test', password: 'a-good-password', role: 'admin' },
    ];
    for (const body of bad) {
      const answer = await demo({ method: 'POST', path: '/api/auth/register', body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.error.code, JSON.stringify(body)).toBe('VALIDATION_FAILED');
      expect(answer.json.error.details, JSON.stringify(body)).toBeTypeOf('object');
    }
  });

  it('turns malformed bodies into 4xx JSON errors, never 500', async () => {
    const post = (body: string | Buffer, contentType?: string) =>
      demo({
        method: 'POST',
        path: '/api/auth/login',
        body,
        headers: contentType ? { 'content-type': contentType } : {},
      });
    const cases: [
      string,
      Promise<{ status: number; json: { success: boolean; error: { code: string } } }>,
      number,
    ][] = [
      ['malformed JSON', post('{"email":', 'application/json'), 400],
      ['empty JSON', post('', 'application/json'), 400],
      ['JSON array', post('[1,2]', 'application/json'), 400],
      ['JSON null', post('null', 'application/json'), 400],
      ['text/plain', post('email=x', 'text/plain'), 415],
      ['form', post('email=x', 'application/x-www-form-urlencoded'), 415],
      [
        'too large',
        post(JSON.stringify({ email: 'x', password: 'y'.repeat(70_000) }), 'application/json'),
        413,
      ],
    ];
    for (const [name, pending, status] of cases) {
      const answer = await pending;
      expect(answer.status, name).toBe(status);
      expect(answer.json.success, name).toBe(false);
      expect(answer.json.error.code, name).toBeTypeOf('string');
    }
  });

  it('reloads config/apps on `sogoms reload` and keeps the old config when the new one is bad', async () => {
    const appYaml = join(stack.config.configRoot, 'apps/demo/app.yaml');
    const original = readFileSync(appYaml, 'utf8');
    expect((await stack.call({ path: '/api/auth/me', host: 'added.test' })).status).toBe(404);

    writeFileSync(appYaml, original.replace('- demo.test', '- demo.test\n  - added.test'));
    expect((await stack.cli('reload')).code).toBe(0);
    expect((await stack.call({ path: '/api/auth/me', host: 'added.test' })).status).toBe(401);

    writeFileSync(appYaml, original.replace(SECRET, 'too-short'));
    const refused = await stack.cli('reload');
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain('jwt_secret');
    expect((await stack.call({ path: '/api/auth/me', host: 'added.test' })).status).toBe(401);
    expect((await login(DEMO)).status).toBe(200);
    writeFileSync(appYaml, original);
    expect((await stack.cli('reload')).code).toBe(0);
  });

  it('drops no login while a reload runs', async () => {
    const logins = Array.from({ length: 60 }, () => login(DEMO));
    const reload = stack.cli('reload');
    const statuses = (await Promise.all(logins)).map((a) => a.status);
    expect((await reload).code).toBe(0);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });

  it('logs one JSON line per request: route pattern, status, app; never the token or the body', async () => {
    const session = await login(DEMO);
    const token = (session.json as { data: { token: string } }).data.token;
    expect((await me(`Bearer ${token}`)).status).toBe(200);
    await demo({ path: '/api/no_such_table/42' });
    const requests = (): Record<string, unknown>[] =>
      stack
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{') && line.includes('"msg":"request"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    await waitUntil(
      'the request lines',
      () => Promise.resolve(requests().some((line) => line.route === '/:table/:id')),
      5_000,
    );
    expect(requests()).toContainEqual(
      expect.objectContaining({
        service: 'gateway',
        level: 'info',
        app: 'demo',
        method: 'GET',
        route: '/auth/me',
        status: 200,
      }),
    );
    expect(requests()).toContainEqual(expect.objectContaining({ route: '/:table/:id', status: 404 }));
    // (The start-up banner names the demo login on purpose; the request lines never do.)
    expect(stack.output()).not.toContain(token);
    expect(JSON.stringify(requests())).not.toContain(DEMO.password);
    expect(JSON.stringify(requests()).toLowerCase()).not.toContain('authorization');
    // Nest's route table is a debug line: not printed at the default level.
    expect(stack.output()).not.toContain('Mapped {');
  });
});
