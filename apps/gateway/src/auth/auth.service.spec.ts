import { TokenService } from '@sogoms/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, startGatewayFixture, type GatewayFixture } from '../crud/testing/gateway.fixture.js';
import { AuthModule } from './auth.module.js';
import { AuthService } from './auth.service.js';
import type { LoginDto, RegisterDto } from './credentials.dto.js';
import type { Session } from './sessions.service.js';

const PASSWORD = 'correct horse battery';

/**
 * Register, login and me over a real users table. The app has the demo's `auth/login` scenario,
 * so a login also answers the user's own data. (Sessions and limits: sessions.service.spec.ts, login-limiter.spec.ts.)
 */
describe('AuthService', () => {
  let fx: GatewayFixture;
  let auth: AuthService;
  let tokens: TokenService;

  const register = (dto: RegisterDto) =>
    auth.register(fx.runtime, dto, { ip: '127.0.0.1', userAgent: null }) as Promise<Session>;
  const login = (dto: LoginDto, ip: string) => auth.login(fx.runtime, dto, { ip, userAgent: 'spec' });
  const usersNamed = (email: string) => fx.select('SELECT * FROM users WHERE email = ?', [email]);
  const eventsOf = (kind: string) => fx.logs.ofKind(kind).map((e) => e.data);

  beforeAll(async () => {
    fx = await startGatewayFixture({ features: [AuthModule], label: 'auth_service', scenarios: true });
    auth = fx.app.get(AuthService);
    tokens = fx.app.get(TokenService);
  });

  afterAll(async () => {
    await fx?.close();
  });

  describe('register', () => {
    it('stores a bcrypt hash and answers a token for the new user, never the hash', async () => {
      const session = await register({ email: '  New@Example.TEST ', password: PASSWORD });
      const [row] = await usersNamed('new@example.test');
      expect(row.password_hash).toMatch(/^\$2b\$10\$/);
      expect(row.password_hash).not.toContain(PASSWORD);
      expect(session.user).toEqual({
        id: row.id,
        email: 'new@example.test',
        name: null,
        role: 'default',
        created_at: expect.any(String),
      });
      expect(await tokens.verify(fx.runtime.tokenKey, session.token)).toMatchObject({
        sub: String(row.id),
        role: 'default',
        email: 'new@example.test',
      });
      expect(eventsOf('user_registered')).toContainEqual({ user_id: row.id });
    });

    it('keeps an optional name', async () => {
      const session = await register({
        email: 'named@example.test',
        password: PASSWORD,
        name: 'Named',
      });
      expect(session.user.name).toBe('Named');
    });

    it('refuses an email already registered (whatever its case) with CONFLICT, adding no row', async () => {
      await register({ email: 'twice@example.test', password: PASSWORD });
      const error = await failureOf(register({ email: 'TWICE@example.test', password: PASSWORD }));
      expect(error.code).toBe('CONFLICT');
      expect(error.details).toEqual({ email: ['already registered'] });
      expect(await usersNamed('twice@example.test')).toHaveLength(1);
    });

    it('refuses a weak password with every reason, before anything is written', async () => {
      const error = await failureOf(register({ email: 'weak@example.test', password: 'aaa' }));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toEqual({
        password: [
          'password must be at least 8 characters',
          'password must use at least 3 different characters',
        ],
      });
      const same = await failureOf(register({ email: 'same@example.test', password: 'Same@Example.test' }));
      expect(same.details).toEqual({ password: ['password must not be the email'] });
      expect(await usersNamed('weak@example.test')).toEqual([]);
      expect(await usersNamed('same@example.test')).toEqual([]);
    });
  });

  describe('login', () => {
    let userId: number;

    beforeAll(async () => {
      const session = await register({ email: 'login@example.test', password: PASSWORD });
      userId = session.user.id as number;
    });

    it('answers a token, the user and the auth/login scenario’s data of this user only', async () => {
      const project = await fx.insert('projects', { user_id: userId, name: 'Mine' });
      const stranger = await fx.user('stranger@example.test');
      await fx.insert('projects', { user_id: Number(stranger.sub), name: 'Not mine' });
      const session = await login({ email: 'Login@Example.test ', password: PASSWORD }, '10.0.0.1');
      expect(await tokens.verify(fx.runtime.tokenKey, session.token)).toMatchObject({ sub: String(userId) });
      expect(session.user).not.toHaveProperty('password_hash');
      expect(session.user.email).toBe('login@example.test');
      expect(Object.keys(session).sort()).toEqual(
        [
          'expires_in',
          'projects',
          'refresh_token',
          'statuses',
          'tags',
          'task_tags',
          'tasks',
          'token',
          'user',
        ].sort(),
      );
      expect((session.projects as { id: number; name: string }[]).map((p) => [p.id, p.name])).toEqual([
        [project, 'Mine'],
      ]);
    });

    it('carries the row’s role in the token', async () => {
      await register({ email: 'boss@example.test', password: PASSWORD });
      await fx.sql.query("UPDATE users SET role = 'admin' WHERE email = 'boss@example.test'");
      const session = await login({ email: 'boss@example.test', password: PASSWORD }, '::1');
      expect((await tokens.verify(fx.runtime.tokenKey, session.token)).role).toBe('admin');
    });

    it('answers a wrong password and an unknown email alike, and logs which it was', async () => {
      const wrong = await failureOf(
        login({ email: 'login@example.test', password: 'wrong password' }, '10.0.0.2'),
      );
      const unknown = await failureOf(
        login({ email: 'nobody@example.test', password: PASSWORD }, '10.0.0.3'),
      );
      expect(wrong.toBody()).toEqual({ code: 'UNAUTHORIZED', message: 'Invalid email or password' });
      expect(unknown.toBody()).toEqual(wrong.toBody());
      expect(eventsOf('login_failed')).toEqual(
        expect.arrayContaining([
          { email: 'login@example.test', ip: '10.0.0.2', known_user: true },
          { email: 'nobody@example.test', ip: '10.0.0.3', known_user: false },
        ]),
      );
    });

    it('refuses a row whose stored hash is not bcrypt (no 500)', async () => {
      await fx.user('imported@example.test');
      const error = await failureOf(
        login({ email: 'imported@example.test', password: 'not-a-bcrypt-hash' }, '::1'),
      );
      expect(error.code).toBe('UNAUTHORIZED');
    });
  });

  describe('me', () => {
    it('answers the token’s user as stored now', async () => {
      const session = await register({ email: 'me@example.test', password: PASSWORD });
      const claims = await tokens.verify(fx.runtime.tokenKey, session.token);
      await fx.sql.query("UPDATE users SET name = 'Renamed' WHERE email = 'me@example.test'");
      expect((await auth.me(fx.runtime, claims)).user).toMatchObject({
        email: 'me@example.test',
        name: 'Renamed',
      });
    });

    it('a valid token of a deleted user is no session', async () => {
      const session = await register({ email: 'gone@example.test', password: PASSWORD });
      const claims = await tokens.verify(fx.runtime.tokenKey, session.token);
      await fx.sql.query("DELETE FROM users WHERE email = 'gone@example.test'");
      expect((await failureOf(auth.me(fx.runtime, claims))).toBody()).toEqual({
        code: 'UNAUTHORIZED',
        message: 'Invalid token',
      });
    });
  });
});
