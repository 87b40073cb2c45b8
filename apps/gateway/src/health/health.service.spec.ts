import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SogomsError } from '@sogoms/common';
import { IpcClient, createClientProxy } from '@sogoms/ipc';
import { testGlobalConfig } from '@sogoms/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { DbClient } from '../ipc/db.client.js';
import { HealthService } from './health.service.js';

describe('HealthService', () => {
  // A real IPC client to a run dir where no db service listens.
  const runDir = mkdtempSync(join(tmpdir(), 'sogoms-health-'));
  const global = { ...testGlobalConfig(), runDir };
  const ipc = new IpcClient(createClientProxy(global, 'db'), { timeoutMs: 300 });
  const health = new HealthService(new DbClient(ipc));
  afterAll(async () => {
    await ipc.close();
    rmSync(runDir, { recursive: true, force: true });
  });

  it('is live without its dependencies, and not ready, naming the one that does not answer', async () => {
    expect(health.live()).toEqual({ success: true, data: { status: 'ok' } });
    const error = await health.ready().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SogomsError);
    expect((error as SogomsError).toBody()).toEqual({
      code: 'UNAVAILABLE',
      message: 'Not ready: db does not answer',
      details: { dependencies: { db: 'down' } },
    });
  });
});
