import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { IpcClient, RpcErrorFilter, UnixSocketClient, UnixSocketServer } from '@sogoms/ipc';
import type { SogomsError } from '@sogoms/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRYPT_KEYS_FILE, createKeyringFile } from '../keyring-file.js';
import { CRYPT_PATTERNS } from '../crypt-actions.js';
import { CryptIpcModule } from './crypt-ipc.module.js';

describe('CryptIpcModule: crypt.encrypt, crypt.decrypt, crypt.hash over a real Unix socket', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sogoms-crypt-ipc-'));
  const path = join(dir, 'svc.sock');
  let service: INestMicroservice;
  let client: IpcClient;
  const place = { app: 'shop', table: 'customers', field: 'phone' };

  beforeAll(async () => {
    createKeyringFile(join(dir, 'apps/shop', CRYPT_KEYS_FILE), 'shop');
    @Module({
      imports: [CryptIpcModule.forApps((app) => (app === 'shop' ? join(dir, 'apps/shop') : undefined))],
    })
    class ServiceModule {}
    service = await NestFactory.createMicroservice<MicroserviceOptions>(ServiceModule, {
      strategy: new UnixSocketServer({ path }),
      logger: false,
    });
    service.useGlobalFilters(new RpcErrorFilter());
    await service.listen();
    client = new IpcClient(new UnixSocketClient({ path }), { timeoutMs: 5000 });
  });
  afterAll(async () => {
    await client.close();
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const failure = (promise: Promise<unknown>): Promise<SogomsError> =>
    promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (error: SogomsError) => error,
    );

  it('round-trips a value bound to its app, table and field', async () => {
    const { value } = await client.call<{ value: string }>(CRYPT_PATTERNS.encrypt, {
      ...place,
      value: '+33 6 12 34 56 78',
    });
    expect(value).toMatch(/^v1:k1:/);
    expect(await client.call(CRYPT_PATTERNS.decrypt, { ...place, value })).toEqual({
      value: '+33 6 12 34 56 78',
    });
    const moved = await failure(client.call(CRYPT_PATTERNS.decrypt, { ...place, field: 'email', value }));
    expect(moved.code).toBe('DECRYPTION_FAILED');
    expect(moved.message).toBe('customers.email could not be decrypted');
  });

  it('hashes with SHA-256 and refuses bad payloads and unknown apps with stable codes', async () => {
    expect(await client.call(CRYPT_PATTERNS.hash, { value: 'Zoë' })).toEqual({
      sha256: createHash('sha256').update('Zoë').digest('hex'),
    });
    const bad = await failure(client.call(CRYPT_PATTERNS.encrypt, { app: 'shop', value: 1 }));
    expect(bad.code).toBe('VALIDATION_FAILED');
    expect(bad.details).toEqual({
      table: ['table must be a string'],
      field: ['field must be a string'],
      value: ['value must be a string'],
    });
    expect(
      (await failure(client.call(CRYPT_PATTERNS.encrypt, { ...place, app: 'nope', value: 'x' }))).code,
    ).toBe('NOT_FOUND');
  });
});
