import { TokenService } from '@sogoms/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorEnvelope, startGatewayFixture, type GatewayFixture } from '../crud/testing/gateway.fixture.js';
import { AuthModule } from './auth.module.js';

const CREDENTIALS = { email: 'http@example.test', password: 'correct horse battery' };

/**
 * `auth/register`, `auth/login` and `auth/me` over HTTP (Fastify inject): body validation before
 * the service, status codes, JwtAuthGuard and both envelopes. The decisions are auth.service.spec.ts's.
 */
describe('AuthController over HTTP', () => {
  let fx: GatewayFixture;
  let token: string;

  beforeAll(async () => {
    fx = await startGatewayFixture({ features: [AuthModule], label: 'auth_controller' });
  });

  afterAll(async () => {
    await fx?.close();
  });

  it('POST auth/register answers 201 with a session', async () => {
    const registered = await fx.request('POST', '/auth/register', { body: { ...CREDENTIALS, name: 'Http' } });
    expect(registered.status).toBe(201);
    expect(registered.json).toEqual({
      success: true,
      data: {
        token: expect.any(String),
        refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        expires_in: 7 * 86400,
        user: expect.objectContaining({ email: CREDENTIALS.email, name: 'Http', role: 'default' }),
      },
    });
    const again = await fx.request('POST', '/auth/register', { body: CREDENTIALS });
    expect(again.status).toBe(409);
    expect(again.json).toEqual(
      errorEnvelope('CONFLICT', 'An account with this email already exists', {
        email: ['already registered'],
      }),
    );
  });

  it('validates a body before the service sees it (nothing written)', async () => {
    const invalid = await fx.request('POST', '/auth/register', {
      body: { email: 'not-an-email', password: 7, admin: true },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'Invalid request body',
      details: {
        admin: ['property admin should not exist'],
        email: ['email must be an email address'],
        password: ['password must be a string'],
      },
    });
    const login = await fx.request('POST', '/auth/login', { body: [] });
    expect(login.status).toBe(400);
    expect(login.json.error.message).toBe('Request body must be a JSON object');
    expect(await fx.select("SELECT id FROM users WHERE email = 'not-an-email'")).toEqual([]);
  });

  it('POST auth/login answers 200 with a token of this app; a wrong password is 401', async () => {
    const login = await fx.request('POST', '/auth/login', { body: CREDENTIALS });
    expect(login.status).toBe(200);
    token = login.json.data.token;
    expect(await fx.app.get(TokenService).verify(fx.runtime.tokenKey, token)).toMatchObject({
      email: CREDENTIALS.email,
    });
    const wrong = await fx.request('POST', '/auth/login', { body: { ...CREDENTIALS, password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual(errorEnvelope('UNAUTHORIZED', 'Invalid email or password'));
    // @Ip() reaches the service: the failed login is logged with the client's address.
    expect(fx.logs.ofKind('login_failed').map((e) => e.data?.ip)).toEqual(['127.0.0.1']);
  });

  it('GET auth/me needs a valid token (JwtAuthGuard) and answers its user', async () => {
    const me = await fx.request('GET', '/auth/me', { token });
    expect(me.status).toBe(200);
    expect(me.json).toEqual({
      success: true,
      data: { user: expect.objectContaining({ email: CREDENTIALS.email }) },
    });
    expect(me.json.data.user).not.toHaveProperty('password_hash');

    const anonymous = await fx.request('GET', '/auth/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toEqual(errorEnvelope('UNAUTHORIZED', 'Missing bearer token'));
    const otherApp = await fx.app
      .get(TokenService)
      .sign(
        { ...fx.runtime.tokenKey, secret: 'another-app-secret-0123456789abcdef' },
        { sub: '1', role: 'admin' },
      );
    expect((await fx.request('GET', '/auth/me', { token: otherApp })).status).toBe(401);
  });
});
