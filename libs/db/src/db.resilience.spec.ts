import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  adminConnection,
  databaseExists,
  dropDatabases,
  MARIADB,
  rejectionOf,
  startDbHarness,
  testAppConfig,
  testDatabaseName,
  testGlobalConfig,
  type DbHarness,
} from './testing/db-test-kit.js';
import { TcpProxy } from './testing/tcp-proxy.js';

const DATABASE = testDatabaseName('resilience');
const INIT_DATABASE = testDatabaseName('late_init');

/** A port where nothing listens: a proxy started and stopped again. */
const deadPort = async (): Promise<number> => {
  const proxy = new TcpProxy(MARIADB.port);
  const port = await proxy.start();
  await proxy.stop();
  return port;
};

describe('DbService when MariaDB goes away', () => {
  const harnesses: DbHarness[] = [];
  const proxies: TcpProxy[] = [];
  let scratch: string;

  const harness = async (...args: Parameters<typeof startDbHarness>): Promise<DbHarness> => {
    const started = await startDbHarness(...args);
    harnesses.push(started);
    return started;
  };
  const proxy = (): TcpProxy => {
    const created = new TcpProxy(MARIADB.port);
    proxies.push(created);
    return created;
  };

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'sogoms-db-resilience-'));
    const admin = await adminConnection();
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.query(`CREATE TABLE ${DATABASE}.notes (id INT PRIMARY KEY, body VARCHAR(20))`);
    await admin.query(`INSERT INTO ${DATABASE}.notes VALUES (1, 'hello')`);
    await admin.end();
  });

  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.close()));
    await Promise.all(proxies.splice(0).map((p) => p.stop()));
  });

  afterAll(async () => {
    await dropDatabases([DATABASE, INIT_DATABASE]);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('nothing listening → the service still answers ping, app calls get UNAVAILABLE', async () => {
    const db = await harness([testAppConfig('gone', DATABASE, { port: await deadPort() })]);

    expect(await db.service.ping({})).toEqual({ ok: true });
    await expect(db.service.ping({ app: 'gone' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const error = await rejectionOf(db.service.query({ app: 'gone', sql: 'SELECT body FROM notes' }));
    expect(error).toMatchObject({ code: 'UNAVAILABLE', message: 'Database is unavailable' });
    expect(db.registry.get('gone').state).toBe('down');
    expect(db.logs.ofKind('db_error').length).toBeGreaterThan(0);
  });

  it('recovers through a proxy that is stopped and restarted: UNAVAILABLE while down, rows after', async () => {
    const link = proxy();
    const port = await link.start();
    const db = await harness([testAppConfig('flaky', DATABASE, { port })]);
    const read = () =>
      db.service.query({ app: 'flaky', sql: 'SELECT body FROM notes WHERE id = ?', params: [1] });

    expect(await read()).toEqual([{ body: 'hello' }]);

    await link.stop();
    await expect(read()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(read()).rejects.toMatchObject({ code: 'UNAVAILABLE' });

    await link.start();
    expect(link.port).toBe(port);
    expect(await read()).toEqual([{ body: 'hello' }]);
  });

  it('a connection cut in the middle of a transaction → UNAVAILABLE, and nothing of it is applied', async () => {
    const link = proxy();
    const port = await link.start();
    const db = await harness([testAppConfig('cut', DATABASE, { port })]);
    const pending = db.service.transaction({
      app: 'cut',
      statements: [
        { sql: 'INSERT INTO notes VALUES (?, ?)', params: [2, 'half'], kind: 'write' },
        { sql: 'SELECT SLEEP(2)' },
      ],
    });
    // Wait until the transaction is inside its SLEEP, then pull the plug.
    await vi.waitFor(
      async () => {
        const admin = await adminConnection();
        const [rows] = await admin.query('SELECT 1 FROM information_schema.PROCESSLIST WHERE INFO = ?', [
          'SELECT SLEEP(2)',
        ]);
        await admin.end();
        expect(rows).toHaveLength(1);
      },
      { timeout: 5000, interval: 50 },
    );
    await link.stop();
    await expect(pending).rejects.toMatchObject({ code: 'UNAVAILABLE' });

    // The server rolls back the transaction of a dropped connection.
    await vi.waitFor(
      async () => {
        const admin = await adminConnection(DATABASE);
        const [rows] = await admin.query('SELECT id FROM notes WHERE id = 2');
        await admin.end();
        expect(rows).toEqual([]);
      },
      { timeout: 5000, interval: 50 },
    );
  });

  it('a network that stops answering → TIMEOUT, not a hang; a fresh link works again', async () => {
    const link = proxy();
    const port = await link.start();
    const db = await harness([testAppConfig('frozen', DATABASE, { port })], testGlobalConfig(), {
      statementTimeoutMs: 200,
      connectTimeoutMs: 300,
    });
    const read = () => db.service.query({ app: 'frozen', sql: 'SELECT body FROM notes' });
    expect(await read()).toEqual([{ body: 'hello' }]);

    link.freeze();
    await expect(read()).rejects.toMatchObject({ code: 'TIMEOUT' });
    // The timed-out connection was dropped; a new one cannot complete its handshake either.
    await expect(read()).rejects.toMatchObject({ code: 'UNAVAILABLE' });

    await link.stop();
    await link.start();
    expect(await read()).toEqual([{ body: 'hello' }]);
  });

  it('MariaDB unreachable at start: init runs once it is back (on the next call or by the retry timer)', async () => {
    const schema = join(scratch, 'schema.sql');
    writeFileSync(schema, 'CREATE TABLE things (id INT PRIMARY KEY); INSERT INTO things VALUES (1), (2);');
    const link = proxy();
    const port = await link.start();
    await link.stop();

    const app = testAppConfig('late', INIT_DATABASE, { port, init: [schema] });
    const db = await harness([app], testGlobalConfig(), { openRetryMs: 100 });
    expect(db.registry.get('late').state).toBe('down');
    await expect(db.service.query({ app: 'late', sql: 'SELECT id FROM things' })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    expect(await databaseExists(INIT_DATABASE)).toBe(false);

    await link.start();
    // No call needed: the retry timer opens the pool and runs the init script.
    await vi.waitFor(() => expect(db.registry.get('late').state).toBe('open'), {
      timeout: 5000,
      interval: 50,
    });
    expect(await db.service.query({ app: 'late', sql: 'SELECT id FROM things ORDER BY id' })).toEqual([
      { id: 1 },
      { id: 2 },
    ]);
  });
});
