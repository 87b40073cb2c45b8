import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.js';
import { dropDatabase, startStack, waitUntil, type TestStack } from './support/stack.js';
import { PROJECT_ROOT, type TestEngine } from './support/test-config.factory.js';
import { ENGINES, execOnSqlite } from './support/test-engines.js';
import type { HttpAnswer } from './support/http-client.js';

const DB_PREFIX = `sogoms_test_accounts_${randomBytes(3).toString('hex')}`;
const SECRET = 'accounts-e2e-secret-0123456789abcdef0123456789';
const PASSWORD = 'correct horse battery';
const LOCKOUT_S = 2;

/** The shipped account mails (the demo's, the same as `sogoms app create` writes). */
const copyAccountMails = (stack: TestStack, app: string): void => {
  const emails = join(stack.config.configRoot, 'apps', app, 'emails');
  mkdirSync(emails, { recursive: true });
  for (const file of ['password-reset.yaml', 'verify-email.yaml'])
    cpSync(join(PROJECT_ROOT, 'config/apps/prokov/emails', file), join(emails, file));
};

/** The text of a caught mail, quoted-printable soft breaks undone. */
const mailText = (raw: string): string => raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
const tokenIn = (raw: string): string => {
  const token = /token=([A-Za-z0-9_-]{43})/.exec(mailText(raw))?.[1];
  if (token === undefined) throw new Error(`no token in mail:\n${raw}`);
  return token;
};

const appYaml = (peerPort: number, auth: Record<string, unknown> = {}) => ({
  smtp: { host: '127.0.0.1', port: peerPort, starttls: 'off', from: 'accounts@shop.test' },
  auth: {
    jwt_secret: SECRET,
    jwt_expires_in: '15m',
    role_field: 'role',
    lockout: `${LOCKOUT_S}s`,
    ip_max_failures: 8,
    reset_url: 'https://shop.test/reset?token={token}',
    verify_url: 'https://shop.test/verify?token={token}',
    ...auth,
  },
});

/** Runs SQL on the app's database behind the stack's back. */
const sqlOn = async (
  engine: TestEngine,
  stack: TestStack,
  app: string,
  db: string,
  sql: string,
  params: unknown[] = [],
) => {
  if (engine === 'sqlite') return execOnSqlite(stack.config.configRoot, app, sql, params);
  const connection = await createConnection({
    host: '127.0.0.1',
    port: 3306,
    user: 'root',
    password: '',
    database: db,
  });
  try {
    await connection.query(sql, params);
  } finally {
    await connection.end();
  }
};

describe.each(ENGINES)(
  'app users’ accounts end to end on %s (supervisor, db, mailer, SMTP peer)',
  (engine) => {
    const DB = `${DB_PREFIX}_${engine}`;
    const VERIFY_DB = `${DB_PREFIX}_${engine}_v`;
    let peer: SmtpPeer;
    let stack: TestStack;
    let ipCounter = 0;
    /** Each test comes from its own address (the stack trusts X-Forwarded-For from loopback). */
    const newIp = () => `198.51.100.${++ipCounter}`;

    const call = (
      method: string,
      path: string,
      options: { body?: unknown; token?: string; ip?: string; host?: string } = {},
    ): Promise<HttpAnswer> =>
      stack.call({
        method,
        path: `/api${path}`,
        host: options.host ?? 'shop.test',
        body: options.body,
        headers: {
          'x-forwarded-for': options.ip ?? '203.0.113.1',
          'user-agent': 'accounts-e2e',
          ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
        },
      });
    const register = async (email: string, password = PASSWORD) => {
      const answer = await call('POST', '/auth/register', { body: { email, password, name: 'Ann' } });
      expect(answer.status, answer.text).toBe(201);
      return answer.json.data as { token: string; refresh_token: string };
    };
    const login = (email: string, password = PASSWORD, ip = '203.0.113.1') =>
      call('POST', '/auth/login', { body: { email, password }, ip });
    const refresh = (refreshToken: string) =>
      call('POST', '/auth/refresh', { body: { refresh_token: refreshToken } });
    const mailsTo = (address: string) => peer.received.filter((m) => m.to.includes(address));
    const waitForMails = (address: string, count: number) =>
      waitUntil(
        `${count} mail(s) to ${address}`,
        () => Promise.resolve(mailsTo(address).length >= count),
        15_000,
      );

    beforeAll(async () => {
      peer = await startSmtpPeer();
      stack = await startStack(
        [
          {
            name: 'shop',
            hosts: ['shop.test'],
            database: DB,
            engine,
            initFromDemo: true,
            secret: SECRET,
            appYaml: appYaml(peer.port),
          },
          {
            name: 'verified',
            hosts: ['verified.test'],
            database: VERIFY_DB,
            engine,
            initFromDemo: true,
            secret: SECRET,
            appYaml: appYaml(peer.port, {
              verify_email: true,
              password: { min_length: 10, require_digit: true },
            }),
          },
        ],
        { gateway: { trust_proxy: ['127.0.0.1'] } },
      );
      copyAccountMails(stack, 'shop');
      copyAccountMails(stack, 'verified');
      const dateType = engine === 'sqlite' ? 'TEXT' : 'DATETIME';
      await sqlOn(
        engine,
        stack,
        'verified',
        VERIFY_DB,
        `ALTER TABLE users ADD COLUMN email_verified_at ${dateType} NULL`,
      );
    }, 90_000);

    afterAll(async () => {
      await stack?.stop();
      await peer?.close();
      if (engine === 'mariadb') {
        await dropDatabase(DB);
        await dropDatabase(VERIFY_DB);
      }
    });

    it('logs in with an access and a refresh token; a refresh rotates, a reused token revokes its family', async () => {
      await register('rotate@example.test');
      const first = (await login('rotate@example.test')).json.data;
      expect(first).toMatchObject({
        token: expect.stringMatching(/^eyJ/),
        refresh_token: expect.any(String),
        expires_in: 900,
      });
      const second = await refresh(first.refresh_token);
      expect(second.status, second.text).toBe(200);
      expect(Object.keys(second.json.data).sort()).toEqual(['expires_in', 'refresh_token', 'token', 'user']);
      expect(second.json.data.refresh_token).not.toBe(first.refresh_token);
      expect((await call('GET', '/auth/me', { token: second.json.data.token })).status).toBe(200);
      // The first token was rotated: presenting it again is a reuse, and ends the whole session.
      const reused = await refresh(first.refresh_token);
      expect(reused.status).toBe(401);
      expect(reused.json.error).toEqual({
        code: 'UNAUTHORIZED',
        message: 'Invalid refresh token',
        details: null,
      });
      expect((await refresh(second.json.data.refresh_token)).status).toBe(401);
      expect((await refresh('x'.repeat(43))).status).toBe(401);
      const malformed = await refresh('short');
      expect(malformed.status).toBe(400);
      expect(malformed.json.error.details).toEqual({
        refresh_token: ['refresh_token must be a token as it was handed out (43 characters)'],
      });
    });

    it('logout ends the current session, logout-all every one; sessions are listed and ended one by one', async () => {
      const registered = await register('sessions@example.test');
      const a = (await login('sessions@example.test')).json.data;
      const b = (await login('sessions@example.test')).json.data;
      const c = (await login('sessions@example.test')).json.data;
      const listed = await call('GET', '/auth/sessions', { token: a.token });
      expect(listed.status).toBe(200);
      // Register opened one too.
      expect(listed.json.data.sessions).toHaveLength(4);
      expect(listed.json.data.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
      expect(listed.json.data.sessions[0]).toMatchObject({ user_agent: 'accounts-e2e', ip: '203.0.113.1' });
      // Someone else's session answers like a missing one.
      const other = (await register('intruder@example.test')).token;
      const bId = (await call('GET', '/auth/sessions', { token: b.token })).json.data.sessions.find(
        (s: { current: boolean }) => s.current,
      ).id;
      expect((await call('DELETE', `/auth/sessions/${bId}`, { token: other })).status).toBe(404);
      expect((await call('DELETE', `/auth/sessions/${bId}`, { token: a.token })).json).toEqual({
        success: true,
        data: { id: bId },
      });
      expect((await refresh(b.refresh_token)).status).toBe(401);

      const out = await call('POST', '/auth/logout', { token: a.token });
      expect(out.json).toEqual({ success: true, data: { sessions_ended: 1 } });
      expect((await refresh(a.refresh_token)).status).toBe(401);
      expect((await refresh(c.refresh_token)).status).toBe(200);

      const d = (await login('sessions@example.test')).json.data;
      const all = await call('POST', '/auth/logout-all', { token: d.token });
      expect(all.json.data.sessions_ended).toBe(3); // registered, c and d
      expect((await refresh(registered.refresh_token)).status).toBe(401);
      expect((await refresh(d.refresh_token)).status).toBe(401);
      expect((await call('GET', '/auth/sessions', { token: d.token })).json.data.sessions).toEqual([]);
      expect((await call('POST', '/auth/logout')).status).toBe(401);
    });

    it('a deleted user, or one whose password changed, can no longer refresh', async () => {
      const gone = await register('gone@example.test');
      await sqlOn(engine, stack, 'shop', DB, "DELETE FROM users WHERE email = 'gone@example.test'");
      expect((await refresh(gone.refresh_token)).status).toBe(401);

      const moved = await register('moved@example.test');
      await sqlOn(
        engine,
        stack,
        'shop',
        DB,
        "UPDATE users SET password_hash = '$2b$10$changedchangedchangedchangedchangedchangedchangedcha' WHERE email = 'moved@example.test'",
      );
      expect((await refresh(moved.refresh_token)).status).toBe(401);
    });

    it('changes the password of a logged-in user: every other session ends, the answer is a new one', async () => {
      const old = await register('change@example.test');
      const other = (await login('change@example.test')).json.data;
      const wrong = await call('POST', '/auth/password', {
        token: other.token,
        body: { current: 'nope', new: 'another long one' },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.json.error.details).toEqual({ current: ['current is not the current password'] });
      const weak = await call('POST', '/auth/password', {
        token: other.token,
        body: { current: PASSWORD, new: 'short' },
      });
      expect(weak.json.error.details).toEqual({ new: ['password must be at least 8 characters'] });
      const changed = await call('POST', '/auth/password', {
        token: other.token,
        body: { current: PASSWORD, new: 'another long one' },
      });
      expect(changed.status, changed.text).toBe(200);
      expect((await refresh(old.refresh_token)).status).toBe(401);
      expect((await refresh(other.refresh_token)).status).toBe(401);
      expect((await refresh(changed.json.data.refresh_token)).status).toBe(200);
      expect((await login('change@example.test')).status).toBe(401);
      expect((await login('change@example.test', 'another long one')).status).toBe(200);
    });

    it('forgot answers the same for a known and an unknown address; the caught mail resets the password once', async () => {
      const session = await register('forgot@example.test');
      const known = await call('POST', '/auth/password/forgot', {
        body: { email: 'Forgot@Example.test' },
        ip: newIp(),
      });
      const unknown = await call('POST', '/auth/password/forgot', {
        body: { email: 'nobody@example.test' },
        ip: newIp(),
      });
      expect(known.status).toBe(202);
      expect(unknown.status).toBe(202);
      expect(unknown.text).toBe(known.text);
      await waitForMails('forgot@example.test', 1);
      const mail = mailsTo('forgot@example.test')[0];
      expect(mail.raw).toContain('Subject: Reset your password');
      const token = tokenIn(mail.raw);
      expect(mailsTo('nobody@example.test')).toEqual([]);

      const weak = await call('POST', '/auth/password/reset', { body: { token, password: 'aaa' } });
      expect(weak.status).toBe(400);
      expect(weak.json.error.code).toBe('VALIDATION_FAILED');
      const reset = await call('POST', '/auth/password/reset', {
        body: { token, password: 'a brand new secret' },
      });
      expect(reset.json).toEqual({ success: true, data: { password_reset: true } });
      // Every session ended; the old password is gone, the new one works.
      expect((await refresh(session.refresh_token)).status).toBe(401);
      expect((await login('forgot@example.test')).status).toBe(401);
      expect((await login('forgot@example.test', 'a brand new secret')).status).toBe(200);
      // The token dies with its use.
      const again = await call('POST', '/auth/password/reset', {
        body: { token, password: 'yet another secret' },
      });
      expect(again.status).toBe(400);
      expect(again.json.error).toEqual({
        code: 'INVALID_TOKEN',
        message: 'Invalid or expired reset token',
        details: null,
      });
    });

    it('refuses an expired reset token, and limits forgot per address', async () => {
      await register('expiry@example.test');
      const ip = newIp();
      expect(
        (await call('POST', '/auth/password/forgot', { body: { email: 'expiry@example.test' }, ip })).status,
      ).toBe(202);
      await waitForMails('expiry@example.test', 1);
      const token = tokenIn(mailsTo('expiry@example.test')[0].raw);
      await sqlOn(
        engine,
        stack,
        'shop',
        DB,
        'UPDATE sogoms_auth_tokens SET expires_at = ? WHERE app = ? AND used_at IS NULL',
        [Date.now() - 1, 'shop'],
      );
      const expired = await call('POST', '/auth/password/reset', {
        body: { token, password: 'a brand new secret' },
      });
      expect(expired.json.error.code).toBe('INVALID_TOKEN');
      // auth.mail_per_address (3 an hour): the 4th ask for one address is a 429, known or not.
      const asks = async (email: string) => {
        const answers = [];
        for (let i = 0; i < 4; i++)
          answers.push(
            (await call('POST', '/auth/password/forgot', { body: { email }, ip: newIp() })).status,
          );
        return answers;
      };
      expect(await asks('ghost@example.test')).toEqual([202, 202, 202, 429]);
      // This address was asked for once above.
      expect(await asks('expiry@example.test')).toEqual([202, 202, 429, 429]);
    });

    it('the 6th wrong password is a 429, the right one too during the cool-down, and works after it', async () => {
      await register('locked@example.test');
      const statuses = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await login('locked@example.test', 'wrong password', newIp())).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401]);
      const sixth = await login('locked@example.test', 'wrong password', newIp());
      expect(sixth.status).toBe(429);
      expect(sixth.json.error.code).toBe('TOO_MANY_REQUESTS');
      expect(Number(sixth.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(sixth.headers['retry-after'])).toBeLessThanOrEqual(LOCKOUT_S);
      expect((await login('locked@example.test', PASSWORD, newIp())).status).toBe(429);
      await new Promise((r) => setTimeout(r, LOCKOUT_S * 1000 + 200));
      expect((await login('locked@example.test', PASSWORD, newIp())).status).toBe(200);
      // The success reset the account's counter: 4 more failures do not lock it.
      for (let i = 0; i < 4; i++) await login('locked@example.test', 'wrong password', newIp());
      expect((await login('locked@example.test', PASSWORD, newIp())).status).toBe(200);
    });

    it('the lock grows with each lock, and an unknown address locks like a known one', async () => {
      for (let i = 0; i < 5; i++) await login('ghost-login@example.test', 'wrong password', newIp());
      const first = await login('ghost-login@example.test', 'wrong password', newIp());
      expect(first.status).toBe(429);
      await new Promise((r) => setTimeout(r, LOCKOUT_S * 1000 + 200));
      for (let i = 0; i < 5; i++) await login('ghost-login@example.test', 'wrong password', newIp());
      const second = await login('ghost-login@example.test', 'wrong password', newIp());
      expect(second.status).toBe(429);
      expect(Number(second.headers['retry-after'])).toBeGreaterThan(LOCKOUT_S);
    });

    it('limits one IP across accounts (credential stuffing)', async () => {
      const ip = newIp();
      // auth.ip_max_failures: 8 in this app.
      const statuses = [];
      for (let i = 0; i < 9; i++)
        statuses.push((await login(`stuffed${i}@example.test`, 'wrong password', ip)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429]);
      await register('stuffing-victim@example.test');
      expect((await login('stuffing-victim@example.test', PASSWORD, ip)).status).toBe(429);
      expect((await login('stuffing-victim@example.test', PASSWORD, newIp())).status).toBe(200);
    });

    it('applies the app’s password rules to register, naming the rule', async () => {
      const weak = await call('POST', '/auth/register', {
        host: 'verified.test',
        body: { email: 'rules@example.test', password: 'only letters here' },
      });
      expect(weak.status).toBe(400);
      expect(weak.json.error.details).toEqual({ password: ['password must contain a digit'] });
    });

    it('verification: register mails a link, login is a 403 until it is used, resend mails another', async () => {
      const v = (method: string, path: string, body: unknown) =>
        call(method, path, { host: 'verified.test', body, ip: newIp() });
      const registered = await v('POST', '/auth/register', {
        email: 'verify@example.test',
        password: 'long enough 42',
      });
      expect(registered.status).toBe(201);
      expect(registered.json.data).toEqual({
        user: expect.objectContaining({ email: 'verify@example.test' }),
        verification_required: true,
      });
      const early = await v('POST', '/auth/login', {
        email: 'verify@example.test',
        password: 'long enough 42',
      });
      expect(early.status).toBe(403);
      expect(early.json.error.code).toBe('EMAIL_NOT_VERIFIED');
      await waitForMails('verify@example.test', 1);
      expect(mailsTo('verify@example.test')[0].raw).toContain('Subject: Confirm your email address');
      const resent = await v('POST', '/auth/verify/resend', { email: 'verify@example.test' });
      const unknown = await v('POST', '/auth/verify/resend', { email: 'nobody@example.test' });
      expect(resent.status).toBe(202);
      expect(unknown.text).toBe(resent.text);
      await waitForMails('verify@example.test', 2);
      const token = tokenIn(mailsTo('verify@example.test')[1].raw);
      expect((await v('POST', '/auth/verify', { token })).json).toEqual({
        success: true,
        data: { verified: true },
      });
      expect((await v('POST', '/auth/verify', { token })).json.error.code).toBe('INVALID_TOKEN');
      // The first link died with the second's use.
      const first = tokenIn(mailsTo('verify@example.test')[0].raw);
      expect((await v('POST', '/auth/verify', { token: first })).json.error.code).toBe('INVALID_TOKEN');
      const late = await v('POST', '/auth/login', {
        email: 'verify@example.test',
        password: 'long enough 42',
      });
      expect(late.status, late.text).toBe(200);
    });

    it('describes every account endpoint in the OpenAPI document', async () => {
      const { token } = await register('openapi@example.test');
      const doc = (await call('GET', '/_openapi.json', { token })).json;
      for (const path of [
        '/auth/refresh',
        '/auth/logout',
        '/auth/logout-all',
        '/auth/sessions',
        '/auth/sessions/{id}',
        '/auth/password',
        '/auth/password/forgot',
        '/auth/password/reset',
        '/auth/verify',
        '/auth/verify/resend',
      ])
        expect(doc.paths[path], path).toBeDefined();
    });
  },
);

describe('login limits shared by two gateways on one MariaDB database', () => {
  const DB = `${DB_PREFIX}_shared`;
  let one: TestStack;
  let two: TestStack;
  const loginOn = (stack: TestStack, password: string) =>
    stack.call({
      method: 'POST',
      path: '/api/auth/login',
      host: 'shop.test',
      body: { email: 'demo@prokov.test', password },
    });

  beforeAll(async () => {
    const spec = {
      name: 'shop',
      hosts: ['shop.test'],
      database: DB,
      initFromDemo: true,
      secret: SECRET,
      appYaml: { auth: { jwt_secret: SECRET, role_field: 'role', lockout: '60s' } },
    };
    one = await startStack([spec]);
    two = await startStack([spec]);
  }, 90_000);

  afterAll(async () => {
    await one?.stop();
    await two?.stop();
    await dropDatabase(DB);
  });

  it('counts failures on both toward one lock, and a refresh token of one works once on the other', async () => {
    const session = (await loginOn(one, 'prokov-demo')).json.data;
    const rotated = await two.call({
      method: 'POST',
      path: '/api/auth/refresh',
      host: 'shop.test',
      body: { refresh_token: session.refresh_token },
    });
    expect(rotated.status).toBe(200);
    const reused = await one.call({
      method: 'POST',
      path: '/api/auth/refresh',
      host: 'shop.test',
      body: { refresh_token: session.refresh_token },
    });
    expect(reused.status).toBe(401);

    const statuses = [];
    for (const stack of [one, two, one, two, one])
      statuses.push((await loginOn(stack, 'wrong password')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect((await loginOn(two, 'prokov-demo')).status).toBe(429);
    expect((await loginOn(one, 'prokov-demo')).status).toBe(429);
  });

  it('keeps the lock across a gateway restart (it is in the database)', async () => {
    await one.stop();
    one = await startStack([
      {
        name: 'shop',
        hosts: ['shop.test'],
        database: DB,
        secret: SECRET,
        appYaml: { auth: { jwt_secret: SECRET, role_field: 'role', lockout: '60s' } },
      },
    ]);
    expect((await loginOn(one, 'prokov-demo')).status).toBe(429);
  }, 60_000);
});
