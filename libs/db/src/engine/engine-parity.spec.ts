import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SogomsError } from '@sogoms/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectOf } from '../dialect/sql-dialect.js';
import {
  dropDatabases,
  rejectionOf,
  startDbHarness,
  testAppConfig,
  testDatabaseName,
  testSqliteAppConfig,
  type DbHarness,
} from '../testing/db-test-kit.js';

/**
 * The same statements on MariaDB and on SQLite must give the caller the same JSON: rows, write
 * outcomes and errors alike. Each case runs on both engines and the answers are compared.
 */

const MARIADB_SCHEMA = `
  CREATE TABLE users (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(100) NOT NULL,
    active TINYINT(1) NOT NULL DEFAULT 1,
    balance DECIMAL(10,2) NULL,
    big BIGINT NULL,
    seen_at DATETIME NULL,
    born DATE NULL,
    UNIQUE KEY email (email)
  ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
  CREATE TABLE projects (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id INT UNSIGNED NOT NULL,
    title VARCHAR(50) NOT NULL,
    CONSTRAINT fk_projects_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT
  ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
`;

const SQLITE_SCHEMA = `
  CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(100) NOT NULL,
    active TINYINT(1) NOT NULL DEFAULT 1,
    balance DECIMAL(10,2) NULL,
    big BIGINT NULL,
    seen_at DATETIME NULL,
    born DATE NULL,
    CONSTRAINT email UNIQUE (email)
  );
  CREATE TABLE projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    title VARCHAR(50) NOT NULL
  );
`;

const DATABASE = testDatabaseName('parity');
const dir = mkdtempSync(join(tmpdir(), 'sogoms-parity-'));

interface Engine {
  name: string;
  db: DbHarness;
}

const engines: Engine[] = [];

/** What a caller receives: the value, or the error's wire body. */
const answer = async (work: Promise<unknown>): Promise<unknown> => {
  try {
    // Through JSON, as over IPC: a MariaDB DATETIME is a Date here and an ISO string there.
    return { ok: JSON.parse(JSON.stringify(await work)) as unknown };
  } catch (error) {
    if (error instanceof SogomsError) return { error: error.toBody() };
    throw error;
  }
};

const onBoth = async (work: (db: DbHarness) => Promise<unknown>): Promise<unknown[]> =>
  Promise.all(engines.map((engine) => answer(work(engine.db))));

const expectSame = async (work: (db: DbHarness) => Promise<unknown>): Promise<unknown> => {
  const [mariadb, sqlite] = await onBoth(work);
  expect(sqlite).toEqual(mariadb);
  return mariadb;
};

const write = (db: DbHarness, sql: string, params: unknown[] = []) =>
  db.service.transaction({ app: 'parity', statements: [{ sql, params, kind: 'write' }] });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MariaDB and SQLite answer alike', () => {
  beforeAll(async () => {
    const mariaInit = join(dir, 'mariadb.sql');
    const sqliteInit = join(dir, 'sqlite.sql');
    writeFileSync(mariaInit, MARIADB_SCHEMA);
    writeFileSync(sqliteInit, SQLITE_SCHEMA);
    engines.push({
      name: 'mariadb',
      db: await startDbHarness([testAppConfig('parity', DATABASE, { init: [mariaInit] })]),
    });
    engines.push({
      name: 'sqlite',
      db: await startDbHarness([
        testSqliteAppConfig('parity', join(dir, 'parity.sqlite'), { init: [sqliteInit] }),
      ]),
    });
  });

  afterAll(async () => {
    await Promise.all(engines.map((engine) => engine.db.close()));
    await dropDatabases([DATABASE]);
  });

  it('writes and reads the same values', async () => {
    const inserted = await expectSame((db) =>
      write(db, 'INSERT INTO users (email, active, balance, big, seen_at, born) VALUES (?, ?, ?, ?, ?, ?)', [
        'ann@example.com',
        true,
        '12.5',
        '9007199254740993',
        '2026-12-03 10:11:12',
        '1990-02-03',
      ]),
    );
    expect(inserted).toEqual({ ok: [{ insert_id: 1, affected_rows: 1 }] });
    const rows = await expectSame((db) =>
      db.service.query({
        app: 'parity',
        sql: 'SELECT id, email, active, balance, big, seen_at, born, COUNT(*) OVER () AS n FROM users WHERE id IN (?)',
        params: [[1, 2, 3]],
      }),
    );
    expect(rows).toEqual({
      ok: [
        {
          id: 1,
          email: 'ann@example.com',
          active: 1,
          balance: '12.50',
          big: '9007199254740993',
          seen_at: '2026-12-03T10:11:12.000Z',
          born: '1990-02-03',
          n: 1,
        },
      ],
    });
  });

  it('names a duplicate key alike', async () => {
    const duplicate = await expectSame((db) =>
      write(db, 'INSERT INTO users (email) VALUES (?)', ['ann@example.com']),
    );
    expect(duplicate).toMatchObject({
      error: { code: 'CONFLICT', message: 'Duplicate value for users.email' },
    });
  });

  it('names a missing parent and a referenced row alike', async () => {
    const missing = await expectSame((db) =>
      write(db, 'INSERT INTO projects (user_id, title) VALUES (?, ?)', [999, 'orphan']),
    );
    expect(missing).toMatchObject({
      error: { code: 'CONSTRAINT', message: 'Referenced users does not exist (projects.user_id)' },
    });
    // (InnoDB spends an auto-increment value on the failed insert, SQLite does not: ids differ.)
    await onBoth((db) => write(db, 'INSERT INTO projects (user_id, title) VALUES (?, ?)', [1, 'kept']));
    const referenced = await expectSame((db) => write(db, 'DELETE FROM users WHERE id = ?', [1]));
    expect(referenced).toMatchObject({
      error: { code: 'CONSTRAINT', message: 'Row is still referenced by projects.user_id' },
    });
    // The diagnosis ran the statement again in a savepoint: nothing of it stayed.
    await expectSame((db) => db.service.query({ app: 'parity', sql: 'SELECT COUNT(*) AS n FROM projects' }));
  });

  it('refuses a missing required value alike', async () => {
    const refused = await expectSame((db) =>
      write(db, 'INSERT INTO projects (user_id, title) VALUES (?, ?)', [1, null]),
    );
    expect(refused).toMatchObject({
      error: { code: 'VALIDATION_FAILED', message: 'title must not be null' },
    });
  });

  it('rolls back a failed transaction alike, naming the failing statement', async () => {
    const failed = await expectSame((db) =>
      db.service.transaction({
        app: 'parity',
        statements: [
          { sql: 'INSERT INTO users (email) VALUES (?)', params: ['bob@example.com'], kind: 'write' },
          { sql: 'INSERT INTO users (email) VALUES (?)', params: ['ann@example.com'], kind: 'write' },
        ],
      }),
    );
    expect(failed).toMatchObject({ error: { code: 'CONFLICT', details: { statement: 1 } } });
    const bob = await expectSame((db) =>
      db.service.query({
        app: 'parity',
        sql: 'SELECT id FROM users WHERE email = ?',
        params: ['bob@example.com'],
      }),
    );
    expect(bob).toEqual({ ok: [] });
  });

  it("runs each dialect's insert-if-absent and upsert with the same outcome", async () => {
    const table = 'users';
    const columns = ['email', 'balance'];
    for (const engine of engines) {
      const dialect = dialectOf(engine.name === 'sqlite' ? 'sqlite' : 'mariadb');
      const ignore = dialect.insertIfAbsent(table, columns);
      await write(engine.db, ignore, ['cat@example.com', '1.00']);
      await write(engine.db, ignore, ['cat@example.com', '2.00']);
      await write(engine.db, dialect.upsert(table, columns, ['email'], ['balance']), [
        'dog@example.com',
        '3.00',
      ]);
      await write(engine.db, dialect.upsert(table, columns, ['email'], ['balance']), [
        'dog@example.com',
        '4.00',
      ]);
    }
    const rows = await expectSame((db) =>
      db.service.query({
        app: 'parity',
        sql: 'SELECT email, balance FROM users WHERE email IN (?) ORDER BY email',
        params: [['cat@example.com', 'dog@example.com']],
      }),
    );
    expect(rows).toEqual({
      ok: [
        { email: 'cat@example.com', balance: '1.00' },
        { email: 'dog@example.com', balance: '4.00' },
      ],
    });
  });

  it('hides SQL errors behind the same INTERNAL answer', async () => {
    const [mariadb, sqlite] = await onBoth((db) => db.service.query({ app: 'parity', sql: 'SELEKT 1' }));
    for (const body of [mariadb, sqlite])
      expect(body).toMatchObject({ error: { code: 'INTERNAL', message: 'Database statement failed' } });
  });
});

describe('SQLite under concurrent writes', () => {
  let db: DbHarness;
  const file = join(dir, 'busy.sqlite');

  beforeAll(async () => {
    const init = join(dir, 'busy.sql');
    writeFileSync(
      init,
      'CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO counter VALUES (1, 0);',
    );
    db = await startDbHarness([testSqliteAppConfig('busy', file, { init: [init] })]);
  });

  afterAll(() => db.close());

  it('serialises transactions on the one writer: no SQLITE_BUSY, no lost update', async () => {
    const increments = Array.from({ length: 50 }, () =>
      db.service.transaction({
        app: 'busy',
        statements: [
          { sql: 'SELECT n FROM counter WHERE id = 1' },
          { sql: 'UPDATE counter SET n = n + 1 WHERE id = 1', kind: 'write' },
        ],
      }),
    );
    const reads = Array.from({ length: 20 }, () =>
      db.service.query({ app: 'busy', sql: 'SELECT n FROM counter' }),
    );
    await Promise.all([...increments, ...reads]);
    expect(await db.service.query({ app: 'busy', sql: 'SELECT n FROM counter' })).toEqual([{ n: 50 }]);
  });

  it('leaves no file behind when an init script fails', async () => {
    const bad = join(dir, 'bad.sql');
    writeFileSync(bad, 'CREATE TABLE ok (id INTEGER); THIS IS NOT SQL;');
    const failing = await startDbHarness([
      testSqliteAppConfig('broken', join(dir, 'broken.sqlite'), { init: [bad] }),
    ]);
    try {
      const error = await rejectionOf(failing.service.query({ app: 'broken', sql: 'SELECT 1' }));
      expect(error).toMatchObject({
        code: 'UNAVAILABLE',
        message: "Database of app 'broken' could not be initialised",
      });
      expect(failing.logs.ofKind('db_init_failed')).toHaveLength(1);
      const { existsSync } = await import('node:fs');
      expect(existsSync(join(dir, 'broken.sqlite'))).toBe(false);
    } finally {
      await failing.close();
    }
  });
});
