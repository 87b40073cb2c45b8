import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenService, type TokenKey } from '@sogoms/auth';

const keyFor = (app: string, overrides: Partial<TokenKey> = {}): TokenKey => ({
  app,
  secret: `${app}-secret-0123456789abcdef0123456789abcdef`,
  expiresInS: 3600,
  ...overrides,
});

const b64url = (value: object | string): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Builds a token by hand, to forge the cases a library would refuse to make. */
const forge = (header: object, payload: object, secret: string | null): string => {
  const head = `${b64url(header)}.${b64url(payload)}`;
  const signature = secret === null ? '' : createHmac('sha256', secret).update(head).digest('base64url');
  return `${head}.${signature}`;
};

describe('TokenService', () => {
  const tokens = new TokenService();
  const now = () => Math.floor(Date.now() / 1000);

  it('verifies its own token and returns the claims', async () => {
    const key = keyFor('alpha');
    const token = await tokens.sign(key, { sub: '7', role: 'admin', email: 'a@x.test' });
    await expect(tokens.verify(key, token)).resolves.toEqual({ sub: '7', role: 'admin', email: 'a@x.test' });
  });

  it('carries the session id when it has one', async () => {
    const key = keyFor('alpha');
    const token = await tokens.sign(key, { sub: '7', role: 'default', sid: 'f00d' });
    await expect(tokens.verify(key, token)).resolves.toEqual({ sub: '7', role: 'default', sid: 'f00d' });
  });

  it("refuses another app's token, even with the same secret", async () => {
    const alpha = keyFor('alpha');
    const token = await tokens.sign(alpha, { sub: '7', role: 'default' });
    await expect(tokens.verify(keyFor('beta'), token)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(tokens.verify({ ...alpha, app: 'beta' }, token)).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it.each([
    ['garbage', () => 'not-a-token'],
    ['two parts', () => 'abc.def'],
    [
      'alg none',
      () =>
        forge({ alg: 'none', typ: 'JWT' }, { sub: '1', role: 'admin', aud: 'alpha', iss: 'sogoms' }, null),
    ],
    [
      'tampered payload',
      () => {
        const good = forge(
          { alg: 'HS256', typ: 'JWT' },
          { sub: '1', role: 'default', aud: 'alpha', iss: 'sogoms', exp: now() + 60 },
          keyFor('alpha').secret,
        );
        const [h, , s] = good.split('.');
        return `${h}.${b64url({ sub: '1', role: 'admin', aud: 'alpha', iss: 'sogoms', exp: now() + 60 })}.${s}`;
      },
    ],
    [
      'wrong secret',
      () =>
        forge({ alg: 'HS256' }, { sub: '1', role: 'default', aud: 'alpha', iss: 'sogoms' }, 'x'.repeat(40)),
    ],
    [
      'expired',
      () =>
        forge(
          { alg: 'HS256', typ: 'JWT' },
          { sub: '1', role: 'default', aud: 'alpha', iss: 'sogoms', exp: now() - 10 },
          keyFor('alpha').secret,
        ),
    ],
    [
      'HS512 instead of HS256',
      () => {
        const head = `${b64url({ alg: 'HS512' })}.${b64url({ sub: '1', role: 'default', aud: 'alpha', iss: 'sogoms' })}`;
        return `${head}.${createHmac('sha512', keyFor('alpha').secret).update(head).digest('base64url')}`;
      },
    ],
    [
      'no subject',
      () => forge({ alg: 'HS256' }, { role: 'default', aud: 'alpha', iss: 'sogoms' }, keyFor('alpha').secret),
    ],
  ])('refuses a token: %s', async (_name, make) => {
    await expect(tokens.verify(keyFor('alpha'), make())).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('says when a token has expired', async () => {
    const token = forge(
      { alg: 'HS256', typ: 'JWT' },
      { sub: '1', role: 'default', aud: 'alpha', iss: 'sogoms', exp: now() - 10 },
      keyFor('alpha').secret,
    );
    await expect(tokens.verify(keyFor('alpha'), token)).rejects.toMatchObject({ message: 'Token expired' });
  });

  describe('a token verified before', () => {
    afterEach(() => vi.restoreAllMocks());

    it('is still refused for another app or another secret', async () => {
      const alpha = keyFor('alpha');
      const token = await tokens.sign(alpha, { sub: '8', role: 'default' });
      await expect(tokens.verify(alpha, token)).resolves.toEqual({ sub: '8', role: 'default' });
      await expect(tokens.verify({ ...alpha, app: 'beta' }, token)).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
      await expect(tokens.verify(keyFor('alpha', { secret: 'y'.repeat(40) }), token)).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
      await expect(tokens.verify(alpha, token)).resolves.toEqual({ sub: '8', role: 'default' });
    });

    it('expires at its exp second', async () => {
      const exp = now() + 30;
      const token = forge(
        { alg: 'HS256', typ: 'JWT' },
        { sub: '9', role: 'default', aud: 'alpha', iss: 'sogoms', exp },
        keyFor('alpha').secret,
      );
      await expect(tokens.verify(keyFor('alpha'), token)).resolves.toEqual({ sub: '9', role: 'default' });
      vi.spyOn(Date, 'now').mockReturnValue((exp - 1) * 1000 + 999);
      await expect(tokens.verify(keyFor('alpha'), token)).resolves.toEqual({ sub: '9', role: 'default' });
      vi.spyOn(Date, 'now').mockReturnValue(exp * 1000);
      await expect(tokens.verify(keyFor('alpha'), token)).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: 'Token expired',
      });
    });

    it('answers claims nobody can change for the next request', async () => {
      const key = keyFor('alpha');
      const token = await tokens.sign(key, { sub: '10', role: 'default' });
      const first = await tokens.verify(key, token);
      expect(() => Object.assign(first, { role: 'admin' })).toThrow(TypeError);
      await expect(tokens.verify(key, token)).resolves.toEqual({ sub: '10', role: 'default' });
    });
  });
});
