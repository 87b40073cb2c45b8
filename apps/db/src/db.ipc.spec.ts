import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import {
  createClientProxy,
  DB_PATTERNS,
  IpcClient,
  type DbStats,
  type Row,
  type TransactionResult,
} from '@sogoms/ipc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDbMicroservice } from './db.microservice.js';
import { DbModule } from './db.module.js';
import {
  adminConnection,
  dropDatabases,
  startDbHarness,
  testAppConfig,
  testDatabaseName,
  testGlobalConfig,
  type DbHarness,
} from '@sogoms/db/testing';

const DATABASE = testDatabaseName('ipc');

describe('db microservice over a Unix socket', () => {
  let dir: string;
  let db: DbHarness;
  let app: INestMicroservice;
  let client: IpcClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sogoms-db-ipc-'));
    const admin = await adminConnection();
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.query(
      `CREATE TABLE ${DATABASE}.users (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(100) NOT NULL UNIQUE, avatar BLOB NULL)`,
    );
    await admin.end();
    const global = { ...testGlobalConfig(), root: dir, runDir: dir, logDir: dir };
    db = await startDbHarness([testAppConfig('shop', DATABASE)], global);
    app = await startDbMicroservice(global, DbModule.forService(db.service), { logger: false });
    client = new IpcClient(createClientProxy(global, 'db'), { timeoutMs: 5000 });
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await db?.close();
    await dropDatabases([DATABASE]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves every action through a real IpcClient', async () => {
    expect(await client.call(DB_PATTERNS.ping, {})).toEqual({ ok: true });
    expect(await client.call(DB_PATTERNS.ping, { app: 'shop' })).toEqual({ ok: true, app: 'shop' });

    const inserted = await client.call<TransactionResult>(DB_PATTERNS.transaction, {
      app: 'shop',
      statements: [
        {
          sql: 'INSERT INTO users (email, avatar) VALUES (?, ?)',
          params: ['a@x.test', Buffer.from([1, 2, 3])],
          kind: 'write',
        },
      ],
    });
    expect(inserted).toEqual([{ insert_id: 1, affected_rows: 1 }]);

    const rows = await client.call<Row[]>(DB_PATTERNS.query, {
      app: 'shop',
      sql: 'SELECT id, email, HEX(avatar) AS avatar FROM users WHERE email = ?',
      params: ['a@x.test'],
    });
    // The Buffer crossed IPC as JSON and was revived into binary before binding.
    expect(rows).toEqual([{ id: 1, email: 'a@x.test', avatar: '010203' }]);
    expect(
      await client.call(DB_PATTERNS.queryOne, {
        app: 'shop',
        sql: 'SELECT email FROM users WHERE id = ?',
        params: [2],
      }),
    ).toBeNull();
    expect(
      await client.call(DB_PATTERNS.transaction, {
        app: 'shop',
        statements: [
          { sql: 'UPDATE users SET email = ? WHERE id = ?', params: ['b@x.test', 1], kind: 'write' },
        ],
      }),
    ).toEqual([{ insert_id: 0, affected_rows: 1 }]);

    const results = await client.call<TransactionResult>(DB_PATTERNS.transaction, {
      app: 'shop',
      statements: [
        { sql: 'INSERT INTO users (email) VALUES (?)', params: ['c@x.test'], kind: 'write' },
        { sql: 'SELECT email FROM users ORDER BY id' },
      ],
    });
    expect(results).toEqual([
      { insert_id: 2, affected_rows: 1 },
      [{ email: 'b@x.test' }, { email: 'c@x.test' }],
    ]);

    expect(
      await client.call(DB_PATTERNS.transaction, {
        app: 'shop',
        statements: [{ sql: 'DELETE FROM users', kind: 'write' }],
      }),
    ).toEqual([{ insert_id: 0, affected_rows: 2 }]);

    const stats = await client.call<DbStats>(DB_PATTERNS.stats, {});
    expect(stats).toMatchObject({ apps: ['shop'], errors: 0 });
    expect(stats.queries).toBeGreaterThanOrEqual(7);
  });

  it('errors arrive as SogomsError with their stable code and no SQL', async () => {
    // A write through db.query (its result is []): the error carries no `statement` index.
    const insertD = { app: 'shop', sql: 'INSERT INTO users (email) VALUES (?)', params: ['d@x.test'] };
    await client.call(DB_PATTERNS.query, insertD);
    const conflict = await client.call(DB_PATTERNS.query, insertD).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(SogomsError);
    expect((conflict as SogomsError).toBody()).toEqual({
      code: 'CONFLICT',
      message: 'Duplicate value for users.email',
      details: { table: 'users', key: 'email' },
    });

    const internal = await client
      .call(DB_PATTERNS.query, { app: 'shop', sql: 'SELECT nope FROM users' })
      .catch((e: unknown) => e);
    expect(internal).toMatchObject({ code: 'INTERNAL', message: 'Database statement failed' });
    expect(JSON.stringify((internal as SogomsError).toBody())).not.toMatch(/nope|SELECT|Unknown column/);

    await expect(client.call(DB_PATTERNS.query, { app: 'elsewhere', sql: 'SELECT 1' })).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
    await expect(client.call(DB_PATTERNS.query, { app: 'shop' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('keeps many calls in flight on one client', async () => {
    const calls = Array.from({ length: 200 }, (_, i) =>
      client.call<Row | null>(DB_PATTERNS.queryOne, { app: 'shop', sql: 'SELECT ? AS n', params: [i] }),
    );
    const answers = await Promise.all(calls);
    expect(answers.map((row) => row?.n)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });
});
