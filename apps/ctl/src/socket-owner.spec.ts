import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SocketOwnerLookup } from './socket-owner.js';

const listen = (server: Server, target: number | string): Promise<void> =>
  new Promise((resolve) =>
    typeof target === 'number'
      ? server.listen(target, '127.0.0.1', () => resolve())
      : server.listen(target, () => resolve()),
  );
const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

describe('SocketOwnerLookup', () => {
  const lookup = new SocketOwnerLookup();

  it('finds the process listening on a TCP port, and nobody once it is closed', async () => {
    const server = createServer();
    await listen(server, 0);
    const port = (server.address() as { port: number }).port;
    expect(lookup.tcpListener(port)).toMatchObject({ pid: process.pid });
    expect(lookup.tcpListener(port)?.command).not.toBe('');
    await close(server);
    expect(lookup.tcpListener(port)).toBeNull();
  });

  it('finds the process listening on a Unix socket path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sogoms-ctl-owner-'));
    const path = join(dir, 'db.sock');
    const server = createServer();
    await listen(server, path);
    try {
      expect(lookup.unixListener(path)).toMatchObject({ pid: process.pid });
      expect(lookup.unixListener(join(dir, 'other.sock'))).toBeNull();
    } finally {
      await close(server);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says nothing rather than guessing when /proc is not there', () => {
    expect(new SocketOwnerLookup('/nonexistent-proc').tcpListener(1)).toBeNull();
  });
});
