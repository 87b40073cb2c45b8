import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpcClient, IpcModule, ipcClientToken, microserviceOptions } from '@sogoms/ipc';
import { startFixtureApp } from './testing/fixture.app.js';
import { testGlobalConfig } from './testing/test-config.js';

describe('IpcModule.forClients', () => {
  let dir: string;
  let server: INestMicroservice;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sogoms-ipc-'));
    server = await startFixtureApp(microserviceOptions(testGlobalConfig(dir, { kind: 'unix' }), 'fixture'));
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('provides one IpcClient per service by token and closes them on shutdown', async () => {
    const config = testGlobalConfig(dir, { kind: 'unix' });
    @Module({ imports: [IpcModule.forClients(config, ['fixture', 'other'])] })
    class CallerModule {}

    const app = await NestFactory.createApplicationContext(CallerModule, { logger: false });
    const fixture = app.get<IpcClient>(ipcClientToken('fixture'));
    const other = app.get<IpcClient>(ipcClientToken('other'));
    expect(fixture).toBeInstanceOf(IpcClient);
    expect(other).not.toBe(fixture);
    expect(await fixture.call('test.echo', { via: 'module' })).toEqual({ via: 'module' });
    expect(fixture.isConnected()).toBe(true);

    await app.close();
    expect(fixture.isConnected()).toBe(false);
  });
});
