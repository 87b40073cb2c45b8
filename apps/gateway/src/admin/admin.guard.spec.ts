import type { ExecutionContext } from '@nestjs/common';
import { TokenService, type TokenKey } from '@sogoms/auth';
import { SogomsError } from '@sogoms/common';
import { describe, expect, it } from 'vitest';
import { JwtAuthGuard } from '../auth/jwt-auth.guard.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { AdminGuard } from './admin.guard.js';

const key: TokenKey = { app: 'shop', secret: 'shop-secret-0123456789abcdef-0123456789', expiresInS: 60 };
const tokens = new TokenService();
const guard = new AdminGuard(new JwtAuthGuard(tokens));

/** A request routed to app `shop`, as the host rewrite leaves it. */
const contextWith = (authorization?: string): ExecutionContext => {
  const request = {
    headers: authorization === undefined ? {} : { authorization },
    raw: { sogomsApp: { tokenKey: key } as unknown as AppRuntime },
  };
  return { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
};

const codeOf = async (attempt: Promise<unknown>): Promise<string> => {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SogomsError);
  return (error as SogomsError).code;
};

describe('AdminGuard', () => {
  it('lets an admin token of the app through', async () => {
    const token = await tokens.sign(key, { sub: '1', role: 'admin' });
    await expect(guard.canActivate(contextWith(`Bearer ${token}`))).resolves.toBe(true);
  });

  it('refuses a default token with FORBIDDEN and no token with UNAUTHORIZED', async () => {
    const token = await tokens.sign(key, { sub: '2', role: 'default' });
    expect(await codeOf(guard.canActivate(contextWith(`Bearer ${token}`)))).toBe('FORBIDDEN');
    expect(await codeOf(guard.canActivate(contextWith()))).toBe('UNAUTHORIZED');
  });

  it("refuses an admin token signed with another app's secret", async () => {
    const other = await tokens.sign(
      { ...key, secret: 'another-secret-0123456789abcdef-01234' },
      { sub: '1', role: 'admin' },
    );
    expect(await codeOf(guard.canActivate(contextWith(`Bearer ${other}`)))).toBe('UNAUTHORIZED');
  });
});
