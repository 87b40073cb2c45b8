import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IpcClient, UnixSocketClient, socketPath } from '@sogoms/ipc';
import { failureOf } from './testing/failure-of.js';
import { startUnixFixtureApp } from './testing/fixture.app.js';
import { closed, openRawConnection, rawFrame } from './testing/raw-connection.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('Unix socket transport resilience', () => {
  let dir: string;
  let path: string;
  const apps: INestMicroservice[] = [];
  const clients: IpcClient[] = [];

  const startServer = async (
    maxFrameBytes?: number,
    maxWriteBacklogBytes?: number,
  ): Promise<INestMicroservice> => {
    const app = await startUnixFixtureApp({ path, maxFrameBytes, maxWriteBacklogBytes });
    apps.push(app);
    return app;
  };
  const newClient = (options: { maxFrameBytes?: number; timeoutMs?: number } = {}): IpcClient => {
    const client = new IpcClient(
      new UnixSocketClient({ path, maxFrameBytes: options.maxFrameBytes, reconnectDelayMs: 20 }),
      { timeoutMs: options.timeoutMs ?? 5000 },
    );
    clients.push(client);
    return client;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sogoms-ipc-'));
    path = socketPath(dir, 'fixture');
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(apps.splice(0).map((app) => app.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails a slow call with TIMEOUT naming the pattern and the ms, and ignores the late answer', async () => {
    await startServer();
    const client = newClient();
    const error = await failureOf(client.call('test.slow', { ms: 300, value: 'late' }, { timeoutMs: 100 }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('test.slow');
    expect(error.message).toContain('100 ms');
    // The late answer arrives on the same connection; it must be dropped without harm.
    await sleep(350);
    expect(await client.call('test.echo', { after: 'timeout' })).toEqual({ after: 'timeout' });
    expect(client.isConnected()).toBe(true);
  });

  it('fails pending calls with UNAVAILABLE when the server goes away', async () => {
    const app = await startServer();
    const client = newClient();
    const pending = [1, 2, 3].map((i) => failureOf(client.call('test.slow', { ms: 5000, value: i })));
    await sleep(50); // let the requests reach the server
    await app.close();
    const errors = await Promise.all(pending);
    expect(errors.map((error) => error.code)).toEqual(['UNAVAILABLE', 'UNAVAILABLE', 'UNAVAILABLE']);
  });

  it('fails at once with UNAVAILABLE when no server listens, and reconnects when one is back', async () => {
    const first = await startServer();
    const client = newClient();
    expect(await client.call('test.echo', { n: 1 })).toEqual({ n: 1 });

    await first.close();
    const down = await failureOf(client.call('test.echo', { n: 2 }));
    expect(down.code).toBe('UNAVAILABLE');
    expect(down.message).not.toContain(dir); // no file system paths in error messages

    await startServer();
    expect(await client.call('test.echo', { n: 3 })).toEqual({ n: 3 });
  });

  it('reconnects in the background so that events flow again after a restart', async () => {
    const first = await startServer();
    const client = newClient();
    await client.connect();
    await first.close();
    // Events written before the client notices the drop are lost uncounted (fire-and-forget).
    while (client.isConnected()) await sleep(5);
    client.emit('test.note', { lost: true });
    expect(client.dropped).toBe(1);

    const second = await startServer();
    const reconnected = Date.now() + 5000;
    while (!client.isConnected() && Date.now() < reconnected) await sleep(10);
    expect(client.isConnected()).toBe(true);
    client.emit('test.note', { kept: true });
    const { EventRecorder } = await import('./testing/fixture.controller.js');
    const recorder = second.get(EventRecorder);
    await recorder.waitFor(1);
    expect(recorder.received).toEqual([{ kept: true }]);
    expect(client.dropped).toBe(1);
  });

  it('emit never throws and counts drops while the server was never reachable', () => {
    const client = newClient();
    expect(() => client.emit('test.note', { n: 1 })).not.toThrow();
    expect(() => client.emit('test.note', { n: 2 })).not.toThrow();
    expect(client.dropped).toBe(2);
  });

  it('closes a connection that announces an oversized frame and keeps serving others', async () => {
    await startServer(1024);
    const client = newClient();
    expect(await client.call('test.echo', { before: true })).toEqual({ before: true });

    const raw = await openRawConnection(path);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(1025);
    raw.write(header);
    await closed(raw);

    expect(await client.call('test.echo', { after: true })).toEqual({ after: true });
  });

  it('answers an oversized response with PAYLOAD_TOO_LARGE instead of sending it', async () => {
    await startServer(64 * 1024);
    const client = newClient();
    const error = await failureOf(client.call('test.big', { bytes: 100 * 1024 }));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await client.call<string>('test.big', { bytes: 10 })).toBe('x'.repeat(10));
  });

  it('fails the call (no hang) when a response exceeds the client limit', async () => {
    await startServer();
    const client = newClient({ maxFrameBytes: 1024 });
    const error = await failureOf(client.call('test.big', { bytes: 4096 }));
    expect(error.code).toBe('UNAVAILABLE');
    // The client drops that connection and opens a new one for the next call.
    expect(await client.call('test.echo', { next: 1 })).toEqual({ next: 1 });
  });

  it('refuses an oversized request locally with PAYLOAD_TOO_LARGE and keeps the connection', async () => {
    await startServer();
    const client = newClient({ maxFrameBytes: 1024 });
    await client.connect();
    const error = await failureOf(client.call('test.echo', { blob: 'y'.repeat(2000) }));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(client.isConnected()).toBe(true);
    expect(await client.call('test.echo', { small: 1 })).toEqual({ small: 1 });
  });

  it.each([
    ['garbage bytes', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
    ['invalid JSON', rawFrame('{"id":1,"pattern":')],
    ['JSON that is not a request', rawFrame('[1,2,3]')],
    ['a request with a numeric pattern', rawFrame('{"id":1,"pattern":5,"data":{}}')],
  ])('closes only the connection that sends %s', async (_name, bytes) => {
    await startServer();
    const client = newClient();
    const inFlight = client.call('test.slow', { ms: 100, value: 'still here' });

    const raw = await openRawConnection(path);
    raw.write(bytes);
    await closed(raw);

    expect(await inFlight).toBe('still here');
    expect(await client.call('test.echo', { ok: true })).toEqual({ ok: true });
  });

  it('closes a connection that never reads its answers, and keeps serving others', async () => {
    await startServer(undefined, 1024 * 1024);
    const client = newClient();
    const raw = await openRawConnection(path);
    raw.pause(); // never read: answers pile up on the server
    const request = (id: number): Buffer =>
      rawFrame(JSON.stringify({ id, pattern: 'test.big', data: { bytes: 256 * 1024 } }));
    // 64 answers of 256 KiB = 16 MiB, well past the socket buffers and the 1 MiB backlog bound.
    raw.write(Buffer.concat(Array.from({ length: 64 }, (_, i) => request(i + 1))));
    await closed(raw);
    expect(await client.call('test.echo', { still: 'serving' })).toEqual({ still: 'serving' });
  });

  it('answers a well-formed raw request on the same kind of connection', async () => {
    // Guards the malformed-frame tests above: a correct frame is answered, not closed.
    await startServer();
    const raw = await openRawConnection(path);
    const answer = new Promise<Buffer>((resolve) => raw.once('data', resolve));
    raw.write(rawFrame(JSON.stringify({ id: 7, pattern: 'test.echo', data: { raw: true } })));
    const frame = await answer;
    expect(frame.readUInt32BE(0)).toBe(frame.length - 4);
    expect(JSON.parse(frame.toString('utf8', 4))).toEqual({
      id: 7,
      response: { raw: true },
      isDisposed: true,
    });
    raw.destroy();
  });
});
