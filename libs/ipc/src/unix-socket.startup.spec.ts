import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IpcClient, UnixSocketClient, socketPath } from '@sogoms/ipc';
import { startUnixFixtureApp } from './testing/fixture.app.js';

/** Leaves a socket file behind the way a crashed service does: bound, then killed. */
const leaveStaleSocket = (path: string): void => {
  const script = `require('net').createServer().listen(process.argv[1], () => process.kill(process.pid, 'SIGKILL'))`;
  try {
    execFileSync(process.execPath, ['-e', script, path], { stdio: 'ignore' });
  } catch {
    // Killed by SIGKILL, as intended.
  }
};

describe('Unix socket server start-up', () => {
  let dir: string;
  let path: string;
  const apps: INestMicroservice[] = [];
  const clients: IpcClient[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sogoms-ipc-'));
    path = socketPath(dir, 'fixture');
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(apps.splice(0).map((app) => app.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (): Promise<unknown> => {
    const client = new IpcClient(new UnixSocketClient({ path }), { timeoutMs: 5000 });
    clients.push(client);
    return client.call('test.echo', { alive: true });
  };

  it('builds the socket path from the run dir and the service name', () => {
    expect(socketPath('/srv/sogoms/run', 'db')).toBe('/srv/sogoms/run/db.sock');
  });

  it('replaces a stale socket file that no one listens on', async () => {
    leaveStaleSocket(path);
    expect(lstatSync(path).isSocket()).toBe(true);
    apps.push(await startUnixFixtureApp({ path }));
    expect(await call()).toEqual({ alive: true });
  });

  it('refuses to start when a live server already listens on the path, and leaves it serving', async () => {
    apps.push(await startUnixFixtureApp({ path }));
    await expect(startUnixFixtureApp({ path })).rejects.toThrow(/another server is already listening/);
    expect(await call()).toEqual({ alive: true });
  });

  it('refuses to start (and deletes nothing) when the path is not a socket', async () => {
    writeFileSync(path, 'precious');
    await expect(startUnixFixtureApp({ path })).rejects.toThrow(/not a socket/);
    expect(readFileSync(path, 'utf8')).toBe('precious');
  });

  it('creates a missing run dir', async () => {
    const nested = socketPath(join(dir, 'run', 'nested'), 'fixture');
    apps.push(await startUnixFixtureApp({ path: nested }));
    expect(lstatSync(nested).isSocket()).toBe(true);
  });

  it('refuses a socket path longer than the operating system allows, with a clear error', async () => {
    const long = socketPath(join(dir, 'x'.repeat(120)), 'fixture');
    await expect(startUnixFixtureApp({ path: long })).rejects.toThrow(/longer than/);
  });

  it('removes its socket file when it closes', async () => {
    const app = await startUnixFixtureApp({ path });
    expect(existsSync(path)).toBe(true);
    await app.close();
    expect(existsSync(path)).toBe(false);
  });
});
