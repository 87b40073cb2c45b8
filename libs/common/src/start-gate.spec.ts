import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { START_AFTER_ENV, startAfterSockets, waitForStartDependencies } from './start-gate.js';

const listen = (path: string): Promise<Server> =>
  new Promise((resolve) => {
    const server = createServer((socket) => socket.end());
    server.listen(path, () => resolve(server));
  });

describe('start gate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sogoms-gate-'));
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  it('reads the socket list from the environment, and nothing from a missing or bad value', () => {
    expect(startAfterSockets({ [START_AFTER_ENV]: JSON.stringify(['/run/a.sock', '/run/b.sock']) })).toEqual([
      '/run/a.sock',
      '/run/b.sock',
    ]);
    expect(startAfterSockets({})).toEqual([]);
    expect(startAfterSockets({ [START_AFTER_ENV]: 'not json' })).toEqual([]);
    expect(startAfterSockets({ [START_AFTER_ENV]: '{"a":1}' })).toEqual([]);
  });

  it('resolves only once every socket accepts', async () => {
    const first = join(dir, 'first.sock');
    const second = join(dir, 'second.sock');
    servers.push(await listen(first));
    let done = false;
    const waiting = waitForStartDependencies([first, second]).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(done).toBe(false);
    servers.push(await listen(second));
    await waiting;
    expect(done).toBe(true);
  });

  it('gives up after its limit, so a service still starts when a dependency never comes', async () => {
    const started = Date.now();
    await waitForStartDependencies([join(dir, 'never.sock')], 200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    rmSync(dir, { recursive: true, force: true });
  });
});
