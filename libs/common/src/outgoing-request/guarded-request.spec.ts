import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockedReason } from './address-policy.js';
import { guardedRequest, RefusedAddressError, type GuardedRequest } from './guarded-request.js';

describe('guarded HTTP requests against a real loopback server', () => {
  let server: Server;
  let port: number;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.host}`);
      if (req.url === '/big') return res.end('x'.repeat(1_000_000));
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 5000);
      if (req.url === '/hop') return res.writeHead(302, { location: '/ok' }).end();
      if (req.url === '/away') return res.writeHead(307, { location: `http://127.0.0.2:${port}/ok` }).end();
      res.end('fine');
    });
    // All of 127/8 reaches this machine: the redirect case needs two loopback addresses.
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const request = (url: string, more: Partial<GuardedRequest> = {}) =>
    guardedRequest({
      method: 'GET',
      url,
      headers: {},
      body: null,
      refuse: () => null,
      maxResponseBytes: 65_536,
      maxRedirects: 5,
      signal: AbortSignal.timeout(3000),
      ...more,
    });

  it('reaches a private address when allowed, and follows a redirect', async () => {
    const answer = await request(`http://127.0.0.1:${port}/hop`);
    expect(answer).toMatchObject({
      status: 200,
      body: 'fine',
      truncated: false,
      url: `http://127.0.0.1:${port}/ok`,
    });
    expect(seen.at(-1)).toBe(`GET /ok 127.0.0.1:${port}`);
  });

  it('caps the body read', async () => {
    const answer = await request(`http://127.0.0.1:${port}/big`, { maxResponseBytes: 1000 });
    expect(answer.body).toHaveLength(1000);
    expect(answer.truncated).toBe(true);
  });

  it('ends at the timeout', async () => {
    const started = Date.now();
    await expect(
      request(`http://127.0.0.1:${port}/slow`, { signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it.each([
    ['a literal IPv4 loopback', '127.0.0.1'],
    ['a literal IPv6 loopback', '[::1]'],
    ['an IPv4-mapped IPv6 loopback', '[::ffff:127.0.0.1]'],
    ['a name resolving to 127.0.0.1', 'localhost'],
  ])('refuses %s before connecting', async (_what, host) => {
    const before = seen.length;
    const error = await request(`http://${host}:${port}/ok`, { refuse: blockedReason }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RefusedAddressError);
    expect((error as Error).message).toMatch(
      /^refused: .* loopback, private, link-local or reserved address/,
    );
    expect(seen.length).toBe(before);
  });

  it('refuses the metadata address', async () => {
    await expect(
      request('http://169.254.169.254/latest/meta-data/', { refuse: blockedReason }),
    ).rejects.toBeInstanceOf(RefusedAddressError);
  });

  it('checks every redirect again', async () => {
    const refuse = (address: string): string | null => (address === '127.0.0.2' ? 'a refused address' : null);
    const before = seen.length;
    const error = await request(`http://127.0.0.1:${port}/away`, { refuse }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefusedAddressError);
    expect((error as Error).message).toContain('127.0.0.2 resolves to a refused address');
    // The first hop was made, the second never.
    expect(seen.slice(before)).toEqual([`GET /away 127.0.0.1:${port}`]);
  });
});
