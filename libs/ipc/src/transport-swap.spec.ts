import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import type { TransportConfig } from '@sogoms/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IpcClient,
  UnixSocketClient,
  UnixSocketServer,
  createClientProxy,
  microserviceOptions,
} from '@sogoms/ipc';
import { EventRecorder } from './testing/fixture.controller.js';
import { failureOf } from './testing/failure-of.js';
import { startFixtureApp } from './testing/fixture.app.js';
import { testGlobalConfig } from './testing/test-config.js';

/**
 * The same controller and the same IpcClient code over each transport the configuration can
 * choose; only the GlobalConfig differs. NATS is the real server at 127.0.0.1:4222.
 */
const transports: [string, TransportConfig][] = [
  ['unix', { kind: 'unix' }],
  ['nats', { kind: 'nats', servers: ['nats://127.0.0.1:4222'] }],
];

describe.each(transports)('transport chosen by configuration: %s', (kind, transport) => {
  let dir: string;
  let app: INestMicroservice;
  let client: IpcClient;
  // A unique service name keeps parallel runs apart (NATS queue group, Unix socket file).
  const service = `fixture_${process.pid}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sogoms-ipc-'));
    const config = testGlobalConfig(dir, transport);
    const options = microserviceOptions(config, service);
    app = await startFixtureApp(options);
    client = new IpcClient(createClientProxy(config, service), { timeoutMs: config.ipc.timeoutMs });
    await client.connect();
  });

  afterAll(async () => {
    await client.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds the transport the configuration names', () => {
    const options = microserviceOptions(testGlobalConfig(dir, transport), service);
    if (kind === 'unix') {
      expect('strategy' in options && options.strategy).toBeInstanceOf(UnixSocketServer);
      expect(client.proxy).toBeInstanceOf(UnixSocketClient);
    } else {
      expect(options).toMatchObject({ options: { servers: ['nats://127.0.0.1:4222'], queue: service } });
      expect(client.proxy).not.toBeInstanceOf(UnixSocketClient);
    }
  });

  it('answers requests', async () => {
    expect(await client.call('test.echo', { a: 1 })).toEqual({ a: 1 });
    expect(await client.call('test.async_echo', { b: 2 })).toEqual({ b: 2 });
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => client.call<{ i: number }>('test.echo', { i })),
    );
    expect(answers.map((answer) => answer.i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('maps errors the same way', async () => {
    const conflict = await failureOf(client.call('test.conflict', {}));
    expect(conflict.toBody()).toEqual({
      code: 'CONFLICT',
      message: 'Email already registered',
      details: { field: 'email' },
    });
    const crash = await failureOf(client.call('test.crash', {}));
    expect(crash.toBody()).toEqual({ code: 'INTERNAL', message: 'Internal error' });
  });

  it('times out the same way', async () => {
    const error = await failureOf(client.call('test.slow', { ms: 400, value: 1 }, { timeoutMs: 100 }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('test.slow');
  });

  it('delivers events', async () => {
    const recorder = app.get(EventRecorder);
    const before = recorder.received.length;
    client.emit('test.note', { via: kind });
    await recorder.waitFor(before + 1);
    expect(recorder.received.at(-1)).toEqual({ via: kind });
  });
});

describe('NATS transport when the peer cannot be reached', () => {
  const dir = tmpdir();

  it('fails with UNAVAILABLE when no service subscribes to the pattern', async () => {
    const config = testGlobalConfig(dir, { kind: 'nats', servers: ['nats://127.0.0.1:4222'] });
    const client = new IpcClient(createClientProxy(config, 'nobody'), { timeoutMs: 2000 });
    try {
      const error = await failureOf(client.call(`test.nobody_${process.pid}`, {}));
      expect(error.code).toBe('UNAVAILABLE');
    } finally {
      await client.close();
    }
  });

  it('fails with UNAVAILABLE and drops events when the NATS server is down', async () => {
    // Port 1 on loopback: nothing listens there.
    const config = testGlobalConfig(dir, { kind: 'nats', servers: ['nats://127.0.0.1:1'] });
    const client = new IpcClient(createClientProxy(config, 'nobody'), { timeoutMs: 2000 });
    try {
      expect((await failureOf(client.call('test.echo', {}))).code).toBe('UNAVAILABLE');
      expect((await failureOf(client.connect())).code).toBe('UNAVAILABLE');
      client.emit('test.note', {});
      const deadline = Date.now() + 2000;
      while (client.dropped === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(client.dropped).toBe(1);
    } finally {
      await client.close();
    }
  });
});
