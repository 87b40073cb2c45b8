import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SogomsError } from '@sogoms/common';
import { IpcClient, createClientProxy } from '@sogoms/ipc';
import { testGlobalConfig } from '@sogoms/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { DbClient } from '../ipc/db.client.js';
import { HealthService } from './health.service.js';

describe('HealthService', () => {
  // Real IPC clients to a run dir where no service listens (a plain socket stands in for logs).
  const runDir = mkdtempSync(join(tmpdir(), 'sogoms-health-'));
  const global = { ...testGlobalConfig(), runDir };
  const client = (service: string): IpcClient =>
    new IpcClient(createClientProxy(global, service), { timeoutMs: 300 });
  const [db, logs, mailer] = [client('db'), client('logs'), client('mailer')];
  const health = new HealthService(new DbClient(db), logs, mailer);
  let logsSocket: Server | undefined;
  afterAll(async () => {
    await Promise.all([db.close(), logs.close(), mailer.close()]);
    logsSocket?.close();
    rmSync(runDir, { recursive: true, force: true });
  });

  it('is live without its dependencies, and not ready, naming every one that does not answer', async () => {
    logsSocket = createServer(() => undefined).listen(join(runDir, 'logs.sock'));
    await new Promise((resolve) => logsSocket!.once('listening', resolve));
    expect(health.live()).toEqual({ success: true, data: { status: 'ok' } });
    const error = await health.ready().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SogomsError);
    expect((error as SogomsError).toBody()).toEqual({
      code: 'UNAVAILABLE',
      message: 'Not ready: db does not answer',
      details: { dependencies: { db: 'down', logs: 'ok', mailer: 'down' } },
    });
  });
});
