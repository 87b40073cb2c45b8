import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import { createClientProxy, DB_PATTERNS, IpcClient } from '@sogoms/ipc';
import { readDatabase, type RawDatabase } from '@sogoms/schema';
import { loadSakila, type LoadedSakila } from '@sogoms/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDbMicroservice } from './db.microservice.js';
import { DbModule } from './db.module.js';
import {
  adminConnection,
  rejectionOf,
  startDbHarness,
  testAppConfig,
  testGlobalConfig,
  type DbHarness,
} from '@sogoms/db/testing';

describe('db.introspect on Sakila (real MariaDB, over a Unix socket)', () => {
  let sakila: LoadedSakila;
  let dir: string;
  let db: DbHarness;
  let app: INestMicroservice;
  let client: IpcClient;
  let direct: RawDatabase;

  beforeAll(async () => {
    sakila = await loadSakila({ area: 'scan', data: false });
    const admin = await adminConnection();
    try {
      direct = await readDatabase(
        async (sql, params) => (await admin.query(sql, params))[0] as Record<string, unknown>[],
        sakila.database,
      );
    } finally {
      await admin.end();
    }
    dir = mkdtempSync(join(tmpdir(), 'sogoms-db-introspect-'));
    const global = { ...testGlobalConfig(), root: dir, runDir: dir, logDir: dir };
    db = await startDbHarness([testAppConfig('rentals', sakila.database)], global);
    app = await startDbMicroservice(global, DbModule.forService(db.service), { logger: false });
    client = new IpcClient(createClientProxy(global, 'db'), { timeoutMs: 5000 });
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await db?.close();
    await sakila?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("answers the app's database as RawDatabase, the same as reading it directly", async () => {
    const before = db.counters.queries;
    const raw = await client.call<RawDatabase>(DB_PATTERNS.introspect, { app: 'rentals' });
    expect(raw).toEqual(direct);
    expect(raw.database).toBe(sakila.database);
    expect(raw.tables.filter((t) => t.tableType === 'BASE TABLE')).toHaveLength(16);
    expect(raw.tables.filter((t) => t.tableType === 'VIEW')).toHaveLength(7);
    const filmActor = raw.tables.find((t) => t.name === 'film_actor')!;
    expect(filmActor.indexes.find((i) => i.name === 'PRIMARY')?.columns.map((c) => c.name)).toEqual([
      'actor_id',
      'film_id',
    ]);
    // A handful of statements for the whole database, not one per table.
    expect(db.counters.queries - before).toBe(5);
  });

  it('refuses an unknown app and a malformed request with stable codes', async () => {
    const unknown = await rejectionOf(client.call(DB_PATTERNS.introspect, { app: 'nope' }));
    expect(unknown).toBeInstanceOf(SogomsError);
    expect((unknown as SogomsError).code).toBe('NOT_FOUND');
    const malformed = await rejectionOf(client.call(DB_PATTERNS.introspect, { app: 42 }));
    expect((malformed as SogomsError).code).toBe('BAD_REQUEST');
  });
});
