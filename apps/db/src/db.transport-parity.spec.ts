import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import { InProcessDbCaller } from '@sogoms/db';
import {
  adminConnection,
  dropDatabases,
  MARIADB,
  startDbHarness,
  testAppConfig,
  testDatabaseName,
  testGlobalConfig,
  type DbHarness,
} from '@sogoms/db/testing';
import {
  createClientProxy,
  DB_PATTERNS,
  IpcClient,
  type IpcCallOptions,
  type ServiceCaller,
} from '@sogoms/ipc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDbMicroservice } from './db.microservice.js';
import { DbModule } from './db.module.js';

const DATABASE = testDatabaseName('parity');

/** A column of every kind the driver turns into something other than a string or a number. */
const CREATE_TABLE = `CREATE TABLE ${DATABASE}.kinds (
  id INT AUTO_INCREMENT PRIMARY KEY,
  code VARCHAR(20) NOT NULL UNIQUE,
  big BIGINT NULL, price DECIMAL(10,2) NULL, ratio FLOAT NULL, score DOUBLE NULL,
  flag TINYINT(1) NULL, bits BIT(8) NULL, born DATE NULL, seen DATETIME(3) NULL,
  stamp TIMESTAMP NULL DEFAULT NULL, span TIME NULL, yr YEAR NULL,
  blob_col BLOB NULL, bin BINARY(4) NULL, doc JSON NULL, place POINT NULL,
  mood ENUM('calm','busy') NULL, tags SET('a','b','c') NULL, note TEXT NULL
)`;

const INSERT_ROW = `INSERT INTO kinds (code, big, price, ratio, score, flag, bits, born, seen, stamp, span, yr,
  blob_col, bin, doc, place, mood, tags, note)
  VALUES ('full', 9007199254740993, 12.50, 0.25, -0.0, 1, b'10100101', '2024-02-29', '2024-02-29 23:59:58.123',
  '2024-03-01 00:00:01', '-12:30:00', 2024, x'00ff10', x'01020304', '{"a":[1,2]}', ST_GeomFromText('POINT(1 2)'),
  'busy', 'a,c', 'héllo ☃')`;

/** An error as a caller sees it; an INTERNAL error's `ref` is random per error, so it is only checked to exist. */
const outcome = async (work: Promise<unknown>): Promise<unknown> => {
  try {
    return { value: await work };
  } catch (error) {
    if (!(error instanceof SogomsError)) return { thrown: String(error) };
    const body = error.toBody();
    const details = body.details as Record<string, unknown> | undefined;
    if (typeof details?.ref === 'string') body.details = { ...details, ref: details.ref.length > 0 };
    return { error: body };
  }
};

describe('the db module in process answers exactly as over IPC', () => {
  let dir: string;
  let db: DbHarness;
  let app: INestMicroservice;
  let overIpc: IpcClient;
  let inProcess: InProcessDbCaller;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sogoms-db-parity-'));
    const admin = await adminConnection();
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.query(CREATE_TABLE);
    await admin.query(`USE ${DATABASE}`);
    await admin.query(INSERT_ROW);
    await admin.query(`INSERT INTO kinds (code) VALUES ('empty')`);
    await admin.end();
    const global = { ...testGlobalConfig(), root: dir, runDir: dir, logDir: dir };
    db = await startDbHarness([testAppConfig('shop', DATABASE)], global);
    app = await startDbMicroservice(global, DbModule.forService(db.service), { logger: false });
    overIpc = new IpcClient(createClientProxy(global, 'db'), { timeoutMs: 5000 });
    inProcess = new InProcessDbCaller(db.service, 5000);
  });

  afterAll(async () => {
    await overIpc?.close();
    await app?.close();
    await db?.close();
    await dropDatabases([DATABASE]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** The same call both ways, one after the other (writes change the data the next call sees). */
  const both = async (pattern: string, data: unknown, opts?: IpcCallOptions): Promise<unknown[]> => {
    const callers: ServiceCaller[] = [overIpc, inProcess];
    const results: unknown[] = [];
    for (const caller of callers) results.push(await outcome(caller.call(pattern, data, opts)));
    return results;
  };

  const expectSame = async (pattern: string, data: unknown, opts?: IpcCallOptions): Promise<unknown> => {
    const [ipc, local] = await both(pattern, data, opts);
    expect(local).toStrictEqual(ipc);
    return ipc;
  };

  it('rows of every column type: Dates, Buffers, big numbers, JSON, geometry, -0', async () => {
    const rows = await expectSame(DB_PATTERNS.query, {
      app: 'shop',
      sql: 'SELECT * FROM kinds ORDER BY id',
    });
    // The comparison is only worth something if the row really holds the awkward values.
    const [full] = (rows as { value: Record<string, unknown>[] }).value;
    expect(full).toMatchObject({
      big: '9007199254740993',
      seen: '2024-02-29T23:59:58.123Z',
      stamp: '2024-03-01T00:00:01.000Z',
      born: '2024-02-29',
      blob_col: { type: 'Buffer', data: [0, 255, 16] },
      place: { x: 1, y: 2 },
    });
    await expectSame(DB_PATTERNS.queryOne, {
      app: 'shop',
      sql: 'SELECT * FROM kinds WHERE code = ?',
      params: ['full'],
    });
    await expectSame(DB_PATTERNS.queryOne, {
      app: 'shop',
      sql: 'SELECT * FROM kinds WHERE id = ?',
      params: [-1],
    });
  });

  it('parameters take their JSON shape first: Date, Buffer, NaN, undefined, lists', async () => {
    await expectSame(DB_PATTERNS.query, {
      app: 'shop',
      sql: 'SELECT ? AS d, HEX(?) AS b, ? AS n, ? AS u, ? AS z',
      params: [new Date('2024-05-06T07:08:09.010Z'), Buffer.from([1, 2]), Number.NaN, undefined, -0],
    });
    await expectSame(DB_PATTERNS.query, {
      app: 'shop',
      sql: 'SELECT code FROM kinds WHERE code IN (?) ORDER BY code',
      params: [['full', 'empty', 'none']],
    });
    // Over IPC a missing key and an undefined one are the same thing.
    await expectSame(DB_PATTERNS.query, { app: 'shop', sql: 'SELECT 1 AS one', params: undefined });
  });

  it('writes and transactions', async () => {
    /** One write statement (a single-statement transaction runs without START TRANSACTION). */
    const write = (sql: string, params: unknown[] = []): unknown => ({
      app: 'shop',
      statements: [{ sql, params, kind: 'write' }],
    });
    const insert = (code: string): unknown =>
      write('INSERT INTO kinds (code, seen) VALUES (?, ?)', [code, '2024-01-01 00:00:00']);
    const ipc = await outcome(overIpc.call(DB_PATTERNS.transaction, insert('w1')));
    const local = await outcome(inProcess.call(DB_PATTERNS.transaction, insert('w2')));
    expect(ipc).toMatchObject({ value: [{ affected_rows: 1 }] });
    // Same shape; the ids follow each other.
    expect(local).toStrictEqual({
      value: [
        { insert_id: (ipc as { value: [{ insert_id: number }] }).value[0].insert_id + 1, affected_rows: 1 },
      ],
    });
    await expectSame(
      DB_PATTERNS.transaction,
      write('UPDATE kinds SET note = ? WHERE code = ?', ['x', 'full']),
    );
    const [tipc, tlocal] = await both(DB_PATTERNS.transaction, {
      app: 'shop',
      statements: [
        {
          sql: 'UPDATE kinds SET seen = ? WHERE code = ?',
          params: ['2025-01-02 03:04:05', 'full'],
          kind: 'write',
        },
        { sql: 'SELECT code, seen, blob_col, place FROM kinds WHERE code = ?', params: ['full'] },
      ],
    });
    expect(tlocal).toStrictEqual(tipc);
    expect(tipc).toMatchObject({ value: [{ affected_rows: 1 }, [{ seen: '2025-01-02T03:04:05.000Z' }]] });
    await expectSame(DB_PATTERNS.transaction, write('DELETE FROM kinds WHERE code = ?', ['nothing']));
  });

  it('errors: same code, message and details', async () => {
    const duplicate = await expectSame(DB_PATTERNS.transaction, {
      app: 'shop',
      statements: [{ sql: 'INSERT INTO kinds (code) VALUES (?)', params: ['full'], kind: 'write' }],
    });
    expect(duplicate).toMatchObject({
      error: { code: 'CONFLICT', details: { table: 'kinds', key: 'code' } },
    });
    expect(await expectSame(DB_PATTERNS.query, { app: 'shop', sql: 'SELECT nope FROM kinds' })).toMatchObject(
      {
        error: { code: 'INTERNAL', details: { ref: true } },
      },
    );
    const failedTransaction = await expectSame(DB_PATTERNS.transaction, {
      app: 'shop',
      statements: [
        { sql: 'SELECT 1' },
        { sql: 'INSERT INTO kinds (code) VALUES (?)', params: ['full'], kind: 'write' },
      ],
    });
    expect(failedTransaction).toMatchObject({ error: { code: 'CONFLICT', details: { statement: 1 } } });
    expect(await expectSame(DB_PATTERNS.query, { app: 'elsewhere', sql: 'SELECT 1' })).toMatchObject({
      error: { code: 'NOT_FOUND' },
    });
    expect(await expectSame(DB_PATTERNS.query, { app: 'shop' })).toMatchObject({
      error: { code: 'BAD_REQUEST' },
    });
    expect(
      await expectSame(DB_PATTERNS.query, { app: 'shop', sql: 'SELECT ?', params: [{ a: 1 }] }),
    ).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    expect(await expectSame('db.nothing_here', {})).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(await expectSame(DB_PATTERNS.query, null)).toMatchObject({ error: { code: 'INTERNAL' } });
  });

  it('a call not answered within its timeout: TIMEOUT with the same message', async () => {
    const timedOut = await expectSame(
      DB_PATTERNS.query,
      { app: 'shop', sql: 'SELECT SLEEP(0.5) AS s' },
      { timeoutMs: 100 },
    );
    expect(timedOut).toStrictEqual({
      error: { code: 'TIMEOUT', message: `Call '${DB_PATTERNS.query}' got no answer within 100 ms` },
    });
  });

  it('ping, introspect and the stats shape', async () => {
    await expectSame(DB_PATTERNS.ping, {});
    await expectSame(DB_PATTERNS.ping, { app: 'shop' });
    const introspected = await expectSame(DB_PATTERNS.introspect, { app: 'shop' });
    expect(JSON.stringify(introspected)).toContain('kinds');
    // Counters move between the two calls; what must match is what they are made of.
    const [ipc, local] = (await both(DB_PATTERNS.stats, {})) as { value: Record<string, unknown> }[];
    expect(Object.keys(local.value)).toEqual(Object.keys(ipc.value));
    expect(local.value.apps).toEqual(['shop']);
  });

  it('probe: the catalog of a database by its settings, and a refusal naming the field', async () => {
    const probed = await expectSame(DB_PATTERNS.probe, {
      database: { ...MARIADB, name: DATABASE },
      introspect: true,
    });
    expect(JSON.stringify(probed)).toContain('kinds');
    const refused = await expectSame(DB_PATTERNS.probe, { database: { ...MARIADB, name: `${DATABASE}_x` } });
    expect(refused).toMatchObject({ error: { code: 'NOT_FOUND', details: { field: 'name' } } });
  });
});
