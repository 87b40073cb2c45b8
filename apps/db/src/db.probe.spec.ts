import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import { createClientProxy, DB_PATTERNS, IpcClient, type DbProbeResult } from '@sogoms/ipc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDbMicroservice } from './db.microservice.js';
import { DbModule } from './db.module.js';
import {
  adminConnection,
  dropDatabases,
  MARIADB,
  rejectionOf,
  startDbHarness,
  testDatabaseName,
  testGlobalConfig,
  type DbHarness,
} from '@sogoms/db/testing';

/** A port that accepts connections and never says a word: a firewall that swallows packets, for the driver. */
const silentServer = async (): Promise<{ server: Server; port: number; sockets: Socket[] }> => {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, sockets };
};

describe('db.probe: a database that is no app (real MariaDB, over a Unix socket)', () => {
  const database = testDatabaseName('probe');
  const tag = randomBytes(3).toString('hex');
  /** A user of its own: a real password to get wrong, and only SELECT on the database. */
  const reader = { user: `sogoms_probe_${tag}`, password: `probe-pass-${tag}` };
  let dir: string;
  let db: DbHarness;
  let app: INestMicroservice;
  let client: IpcClient;
  const root = { ...MARIADB, name: database };

  const probe = (payload: unknown): Promise<DbProbeResult> =>
    client.call<DbProbeResult>(DB_PATTERNS.probe, payload);
  const refusal = async (payload: unknown): Promise<SogomsError> => {
    const error = await rejectionOf(probe(payload));
    expect(error).toBeInstanceOf(SogomsError);
    return error as SogomsError;
  };

  beforeAll(async () => {
    const admin = await adminConnection();
    try {
      await admin.query(`CREATE DATABASE \`${database}\``);
      await admin.query(
        `CREATE TABLE \`${database}\`.author (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL)`,
      );
      await admin.query(`CREATE USER '${reader.user}'@'%' IDENTIFIED BY '${reader.password}'`);
      await admin.query(`CREATE USER '${reader.user}'@'localhost' IDENTIFIED BY '${reader.password}'`);
      await admin.query(`GRANT SELECT ON \`${database}\`.* TO '${reader.user}'@'%'`);
      await admin.query(`GRANT SELECT ON \`${database}\`.* TO '${reader.user}'@'localhost'`);
    } finally {
      await admin.end();
    }
    dir = mkdtempSync(join(tmpdir(), 'sogoms-db-probe-'));
    const global = { ...testGlobalConfig(), root: dir, runDir: dir, logDir: dir };
    // No app at all: a probe needs none.
    db = await startDbHarness([], global);
    app = await startDbMicroservice(global, DbModule.forService(db.service), { logger: false });
    client = new IpcClient(createClientProxy(global, 'db'), { timeoutMs: 15_000 });
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await db?.close();
    const admin = await adminConnection();
    try {
      await admin.query(`DROP USER IF EXISTS '${reader.user}'@'%', '${reader.user}'@'localhost'`);
    } finally {
      await admin.end();
    }
    await dropDatabases([database]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers ok and the server version, and leaves no connection open', async () => {
    const admin = await adminConnection();
    try {
      const [[server]] = (await admin.query('SELECT VERSION() AS version')) as unknown as [
        { version: string }[],
      ];
      const result = await probe({ database: root });
      expect(result).toEqual({ ok: true, server_version: server.version });
      // The probe's connection is closed once it answers (it is in no pool).
      const [open] = (await admin.query(
        'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
        [database],
      )) as unknown as [{ n: number }[]];
      expect(Number(open[0].n)).toBe(0);
    } finally {
      await admin.end();
    }
    // Not the apps' load: no app query was counted.
    expect(db.counters.queries).toBe(0);
  });

  it('runs the statements in order, then reads the catalog as it is afterwards', async () => {
    const result = await probe({
      database: root,
      statements: [
        'CREATE TABLE sogoms_users (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(190) NOT NULL UNIQUE)',
        "ALTER TABLE sogoms_users ADD COLUMN role VARCHAR(7) NOT NULL DEFAULT 'default'",
      ],
      introspect: true,
    });
    expect(result.raw?.database).toBe(database);
    expect(result.raw?.tables.map((t) => t.name).sort()).toEqual(['author', 'sogoms_users']);
    const users = result.raw!.tables.find((t) => t.name === 'sogoms_users')!;
    expect(users.columns.map((c) => c.name)).toEqual(['id', 'email', 'role']);
  });

  it('a wrong password is UNAUTHORIZED on the user field, without the password in the message', async () => {
    const error = await refusal({ database: { ...root, user: reader.user, password: 'not-the-password' } });
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.details).toEqual({ field: 'user' });
    expect(error.message).toContain(reader.user);
    expect(error.message).not.toContain('not-the-password');
    expect(error.message).not.toMatch(/ER_|Access denied/);
  });

  it('an unknown database is NOT_FOUND on the name field', async () => {
    const error = await refusal({ database: { ...root, name: `${database}_missing` } });
    expect(error.code).toBe('NOT_FOUND');
    expect(error.details).toEqual({ field: 'name' });
    expect(error.message).toContain(`${database}_missing`);
  });

  it('a port nobody listens on is UNAVAILABLE on the host field', async () => {
    const error = await refusal({ database: { ...root, port: 1 } });
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.details).toEqual({ field: 'host' });
    expect(error.message).toContain('127.0.0.1:1');
    expect(error.message).not.toContain('ECONNREFUSED');
  });

  it('a server that never answers is UNAVAILABLE after the connect timeout', async () => {
    const silent = await silentServer();
    try {
      const error = await refusal({ database: { ...root, port: silent.port } });
      expect(error.code).toBe('UNAVAILABLE');
      expect(error.details).toEqual({ field: 'host' });
      expect(error.message).toMatch(/did not answer in time/);
    } finally {
      for (const socket of silent.sockets) socket.destroy();
      await new Promise((resolve) => silent.server.close(resolve));
    }
  }, 20_000);

  it('a statement the user has no right to is FORBIDDEN, naming its index; the ones before it ran', async () => {
    const asReader = { ...root, user: reader.user, password: reader.password };
    expect((await probe({ database: asReader, introspect: true })).raw?.tables.length).toBeGreaterThan(0);
    const error = await refusal({
      database: asReader,
      statements: ['SELECT 1', 'CREATE TABLE not_allowed (id INT PRIMARY KEY)'],
    });
    expect(error.code).toBe('FORBIDDEN');
    expect(error.details).toEqual({ statement: 1 });
    expect(error.message).toContain(reader.user);
  });

  it('a statement the server rejects is BAD_REQUEST naming its index, never the SQL or driver text', async () => {
    const error = await refusal({ database: root, statements: ['CREATE TABLE author (id INT PRIMARY KEY)'] });
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.details).toEqual({ statement: 0 });
    expect(error.message).not.toMatch(/already exists|CREATE/);
  });

  it('refuses malformed payloads with BAD_REQUEST', async () => {
    const payloads = [
      'db.example',
      {},
      { database: 'mysql://root@127.0.0.1/x' },
      { database: { ...root, port: '3306' } },
      { database: { ...root, host: '' } },
      { database: { ...root, name: 7 } },
      { database: root, statements: 'CREATE TABLE x (id INT)' },
      { database: root, statements: [''] },
      { database: root, introspect: 'yes' },
    ];
    for (const payload of payloads) {
      const error = await refusal(payload);
      expect(error.code, JSON.stringify(payload)).toBe('BAD_REQUEST');
    }
  });
});
