import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpcClient, UnixSocketClient, socketPath } from '@sogoms/ipc';
import { EventRecorder } from './testing/fixture.controller.js';
import { failureOf } from './testing/failure-of.js';
import { startUnixFixtureApp } from './testing/fixture.app.js';

describe('IpcClient over a Unix socket', () => {
  let dir: string;
  let app: INestMicroservice;
  let client: IpcClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sogoms-ipc-'));
    app = await startUnixFixtureApp({ path: socketPath(dir, 'fixture') });
    client = new IpcClient(new UnixSocketClient({ path: socketPath(dir, 'fixture') }), { timeoutMs: 2000 });
  });

  afterAll(async () => {
    await client.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a request with the handler result (value, promise, observable)', async () => {
    expect(await client.call('test.echo', { a: 1, s: 'é' })).toEqual({ a: 1, s: 'é' });
    expect(await client.call('test.async_echo', [1, 2])).toEqual([1, 2]);
    expect(await client.call('test.stream', {})).toBe(3);
    expect(client.isConnected()).toBe(true);
  });

  it('passes a SogomsError through with its code, message and details', async () => {
    const error = await failureOf(client.call('test.conflict', {}));
    expect(error).toBeInstanceOf(SogomsError);
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe('Email already registered');
    expect(error.details).toEqual({ field: 'email' });
  });

  it('turns a plain Error into INTERNAL without leaking its message or stack', async () => {
    const error = await failureOf(client.call('test.crash', {}));
    expect(error).toBeInstanceOf(SogomsError);
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe('Internal error');
    expect(JSON.stringify(error.toBody())).not.toMatch(/password|ER_DUP|at /);
  });

  it('passes an RpcException error body through, and a string one as INTERNAL', async () => {
    const body = { code: 'FORBIDDEN', message: 'Not your app' };
    expect((await failureOf(client.call('test.rpc_exception', { error: body }))).toBody()).toEqual(body);
    const fromString = await failureOf(client.call('test.rpc_exception', { error: 'broken' }));
    expect(fromString.toBody()).toEqual({ code: 'INTERNAL', message: 'broken' });
  });

  it("keeps the meaning of Nest's 4xx exceptions (ValidationPipe)", async () => {
    const error = await failureOf(client.call('test.bad_request', {}));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.details).toEqual(['name must be a string']);
  });

  it('rejects a null payload with INTERNAL before sending', async () => {
    expect((await failureOf(client.call('test.echo', null))).code).toBe('INTERNAL');
  });

  it('answers an unknown pattern with NOT_FOUND', async () => {
    const error = await failureOf(client.call('test.nope', {}));
    expect(error.code).toBe('NOT_FOUND');
  });

  it('delivers events to @EventPattern handlers', async () => {
    await client.connect();
    const recorder = app.get(EventRecorder);
    const before = recorder.received.length;
    client.emit('test.note', { n: 1 });
    client.emit('test.note', { n: 2 });
    await recorder.waitFor(before + 2);
    expect(recorder.received.slice(before)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(client.dropped).toBe(0);
  });
});
