import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpcClient, UnixSocketClient, socketPath } from '@sogoms/ipc';
import { startUnixFixtureApp } from './testing/fixture.app.js';

const IN_FLIGHT = 10_000;
// 2 KiB per message: 20 MiB each way, far more than the socket buffers, so both sides
// must keep reading while their own writes are backed up.
const PADDING = 'p'.repeat(2048);

describe('many requests in flight on one Unix socket connection', () => {
  let dir: string;
  let app: INestMicroservice;
  let proxy: UnixSocketClient;
  let client: IpcClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sogoms-ipc-'));
    app = await startUnixFixtureApp({ path: socketPath(dir, 'fixture') });
    proxy = new UnixSocketClient({ path: socketPath(dir, 'fixture') });
    client = new IpcClient(proxy, { timeoutMs: 60_000 });
    await client.connect();
  });

  afterAll(async () => {
    await client.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`matches ${IN_FLIGHT} concurrent IpcClient calls to their answers`, async () => {
    const calls = Array.from({ length: IN_FLIGHT }, (_, i) =>
      client.call<{ i: number; padding: string }>(i % 2 === 0 ? 'test.echo' : 'test.async_echo', {
        i,
        padding: PADDING,
      }),
    );
    const answers = await Promise.all(calls);
    answers.forEach((answer, i) => {
      expect(answer.i).toBe(i);
      expect(answer.padding).toBe(PADDING);
    });
  });

  it(`matches ${IN_FLIGHT} concurrent ClientProxy.send calls (Nest's Observable API) to their answers`, async () => {
    const calls = Array.from({ length: IN_FLIGHT }, (_, i) =>
      firstValueFrom(proxy.send<{ i: number }>('test.async_echo', { i, padding: PADDING })),
    );
    const answers = await Promise.all(calls);
    expect(answers.map((answer) => answer.i)).toEqual(Array.from({ length: IN_FLIGHT }, (_, i) => i));
  });
});
