import { SogomsError } from '@sogoms/common';
import type { SqlValue } from '@sogoms/ipc';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  adminConnection,
  dropDatabases,
  rejectionOf,
  startDbHarness,
  testAppConfig,
  testDatabaseName,
  testGlobalConfig,
  type DbHarness,
} from './testing/db-test-kit.js';

const DATABASE = testDatabaseName('service');

const SCHEMA = `
  CREATE TABLE users (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(100) NOT NULL,
    name VARCHAR(10) NOT NULL,
    score INT NULL,
    born DATE NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE KEY email (email)
  ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
  CREATE TABLE projects (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id INT UNSIGNED NOT NULL,
    title VARCHAR(50) NOT NULL,
    CONSTRAINT fk_projects_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT
  ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
`;

/** Every message a caller could see: it must never carry SQL or driver text. */
const expectNoSqlIn = (error: unknown): void => {
  expect(error).toBeInstanceOf(SogomsError);
  const text = JSON.stringify((error as SogomsError).toBody());
  for (const fragment of [
    'SELECT',
    'INSERT',
    'UPDATE ',
    'DELETE',
    'syntax',
    'Duplicate entry',
    'secret-value',
    'FOREIGN KEY',
  ]) {
    expect(text).not.toContain(fragment);
  }
};

describe('DbService on a real MariaDB', () => {
  let db: DbHarness;

  beforeAll(async () => {
    const admin = await adminConnection();
    await admin.query(`CREATE DATABASE ${DATABASE} CHARACTER SET utf8mb4`);
    await admin.changeUser({ database: DATABASE });
    await admin.query(SCHEMA);
    await admin.end();
    db = await startDbHarness([testAppConfig('shop', DATABASE)], testGlobalConfig({ slowQueryMs: 300 }));
  });

  afterAll(async () => {
    await db?.close();
    await dropDatabases([DATABASE]);
  });

  beforeEach(async () => {
    const admin = await adminConnection(DATABASE);
    await admin.query(
      'DELETE FROM projects; DELETE FROM users; ALTER TABLE users AUTO_INCREMENT = 1; ALTER TABLE projects AUTO_INCREMENT = 1',
    );
    await admin.end();
  });

  /** One write statement and its {insert_id, affected_rows} (a transaction of one runs it alone). */
  const write = async (sql: string, params: SqlValue[] = []) =>
    (await db.service.transaction({ app: 'shop', statements: [{ sql, params, kind: 'write' }] }))[0];

  const insertUser = (email: string, name = 'Ann') =>
    write('INSERT INTO users (email, name) VALUES (?, ?)', [email, name]);

  describe('actions', () => {
    it('a write returns the new id and affected rows; query returns rows with bound values', async () => {
      const first = await insertUser('a@x.test', 'Ann');
      const second = await insertUser('b@x.test', 'Bob');
      expect(first).toEqual({ insert_id: 1, affected_rows: 1 });
      expect(second).toEqual({ insert_id: 2, affected_rows: 1 });

      const rows = await db.service.query({
        app: 'shop',
        sql: 'SELECT id, email, name FROM users WHERE id IN (?) ORDER BY id',
        params: [[1, 2]],
      });
      expect(rows).toEqual([
        { id: 1, email: 'a@x.test', name: 'Ann' },
        { id: 2, email: 'b@x.test', name: 'Bob' },
      ]);
    });

    it('binds values, never splices them: a quote in a value stays data', async () => {
      await insertUser("o'hara@x.test", "O'Hara");
      const rows = await db.service.query({
        app: 'shop',
        sql: 'SELECT name FROM users WHERE email = ?',
        params: ["o'hara@x.test"],
      });
      expect(rows).toEqual([{ name: "O'Hara" }]);
      const none = await db.service.query({
        app: 'shop',
        sql: 'SELECT name FROM users WHERE email = ?',
        params: ["' OR '1'='1"],
      });
      expect(none).toEqual([]);
    });

    it('query_one returns the first row or null', async () => {
      await insertUser('a@x.test');
      expect(
        await db.service.queryOne({ app: 'shop', sql: 'SELECT email FROM users WHERE id = ?', params: [1] }),
      ).toEqual({ email: 'a@x.test' });
      expect(
        await db.service.queryOne({ app: 'shop', sql: 'SELECT email FROM users WHERE id = ?', params: [99] }),
      ).toBeNull();
    });

    it('an UPDATE or a DELETE returns its affected rows', async () => {
      await insertUser('a@x.test');
      await insertUser('b@x.test');
      expect(await write('UPDATE users SET score = ? WHERE id > ?', [7, 0])).toEqual({
        insert_id: 0,
        affected_rows: 2,
      });
      expect(await write('DELETE FROM users WHERE email = ?', ['b@x.test'])).toEqual({
        insert_id: 0,
        affected_rows: 1,
      });
      expect(await db.service.query({ app: 'shop', sql: 'SELECT email, score FROM users' })).toEqual([
        { email: 'a@x.test', score: 7 },
      ]);
    });

    it('returns DATE as YYYY-MM-DD and DATETIME as a UTC instant', async () => {
      await db.service.query({
        app: 'shop',
        sql: 'INSERT INTO users (email, name, born, created_at) VALUES (?, ?, ?, ?)',
        params: ['d@x.test', 'Dee', '1990-05-17', '2026-01-02 03:04:05'],
      });
      const row = await db.service.queryOne({ app: 'shop', sql: 'SELECT born, created_at FROM users' });
      expect(row?.born).toBe('1990-05-17');
      expect((row?.created_at as Date).toISOString()).toBe('2026-01-02T03:04:05.000Z');
    });

    it('ping answers without an app, and with an app after SELECT 1 on its pool', async () => {
      expect(await db.service.ping({})).toEqual({ ok: true });
      expect(await db.service.ping({ app: 'shop' })).toEqual({ ok: true, app: 'shop' });
    });

    it('stats counts statements and errors', async () => {
      const before = db.service.stats();
      await insertUser('a@x.test');
      await rejectionOf(insertUser('a@x.test'));
      const after = db.service.stats();
      expect(after.queries - before.queries).toBe(2);
      expect(after.errors - before.errors).toBe(1);
      expect(after.apps).toEqual(['shop']);
    });
  });

  describe('transaction', () => {
    it('runs all statements on one connection and returns one result per statement', async () => {
      const results = await db.service.transaction({
        app: 'shop',
        statements: [
          {
            sql: 'INSERT INTO users (email, name) VALUES (?, ?)',
            params: ['t@x.test', 'Tom'],
            kind: 'write',
          },
          {
            sql: 'INSERT INTO projects (user_id, title) VALUES (LAST_INSERT_ID(), ?)',
            params: ['P1'],
            kind: 'write',
          },
          { sql: 'SELECT u.email, p.title FROM users u JOIN projects p ON p.user_id = u.id' },
        ],
      });
      expect(results).toEqual([
        { insert_id: 1, affected_rows: 1 },
        { insert_id: 1, affected_rows: 1 },
        [{ email: 't@x.test', title: 'P1' }],
      ]);
    });

    it('rolls back when the second statement fails: the first is not applied', async () => {
      const error = await rejectionOf(
        db.service.transaction({
          app: 'shop',
          statements: [
            {
              sql: 'INSERT INTO users (email, name) VALUES (?, ?)',
              params: ['r@x.test', 'Rae'],
              kind: 'write',
            },
            {
              sql: 'INSERT INTO projects (user_id, title) VALUES (?, ?)',
              params: [999, 'orphan'],
              kind: 'write',
            },
          ],
        }),
      );
      expect(error).toMatchObject({ code: 'CONSTRAINT', details: { statement: 1 } });
      // mysql2 hands out the connection released last: the one that ran the transaction.
      expect(await db.service.queryOne({ app: 'shop', sql: 'SELECT @@in_transaction AS open' })).toEqual({
        open: 0,
      });
      expect(await db.service.query({ app: 'shop', sql: 'SELECT id FROM users' })).toEqual([]);
      // The connection went back to the pool clean: the next call works and sees no open transaction.
      expect(await insertUser('after@x.test')).toEqual({
        insert_id: expect.any(Number) as number,
        affected_rows: 1,
      });
    });
  });

  describe('transaction of one statement', () => {
    it('runs it alone (autocommit, no START TRANSACTION round trip) with the same answer shape', async () => {
      expect(
        await db.service.transaction({
          app: 'shop',
          statements: [{ sql: 'SELECT @@in_transaction AS open' }],
        }),
      ).toEqual([[{ open: 0 }]]);
      // Two statements do run inside one.
      const both = await db.service.transaction({
        app: 'shop',
        statements: [{ sql: 'SELECT 1 AS one' }, { sql: 'SELECT @@in_transaction AS open' }],
      });
      expect(both).toEqual([[{ one: 1 }], [{ open: 1 }]]);
      const written = await db.service.transaction({
        app: 'shop',
        statements: [
          {
            sql: 'INSERT INTO users (email, name) VALUES (?, ?)',
            params: ['one@x.test', 'One'],
            kind: 'write',
          },
        ],
      });
      expect(written).toEqual([{ insert_id: expect.any(Number) as number, affected_rows: 1 }]);
      const failed = await rejectionOf(
        db.service.transaction({
          app: 'shop',
          statements: [
            {
              sql: 'INSERT INTO users (email, name) VALUES (?, ?)',
              params: ['one@x.test', 'One'],
              kind: 'write',
            },
          ],
        }),
      );
      expect(failed).toMatchObject({ code: 'CONFLICT', details: { statement: 0 } });
    });
  });

  describe('error mapping', () => {
    it('duplicate key → CONFLICT naming table and key, without SQL or the value', async () => {
      await insertUser('secret-value@x.test');
      const error = await rejectionOf(insertUser('secret-value@x.test'));
      expect(error).toMatchObject({
        code: 'CONFLICT',
        message: 'Duplicate value for users.email',
        details: { table: 'users', key: 'email' },
      });
      expectNoSqlIn(error);
    });

    it('missing parent → CONSTRAINT; deleting a referenced parent → CONSTRAINT', async () => {
      const missing = await rejectionOf(
        db.service.query({
          app: 'shop',
          sql: 'INSERT INTO projects (user_id, title) VALUES (?, ?)',
          params: [42, 'x'],
        }),
      );
      expect(missing).toMatchObject({
        code: 'CONSTRAINT',
        details: { table: 'projects', field: 'user_id', references: 'users' },
      });
      expectNoSqlIn(missing);

      await insertUser('p@x.test');
      await db.service.query({
        app: 'shop',
        sql: 'INSERT INTO projects (user_id, title) VALUES (1, ?)',
        params: ['x'],
      });
      const referenced = await rejectionOf(
        db.service.query({ app: 'shop', sql: 'DELETE FROM users WHERE id = 1' }),
      );
      expect(referenced).toMatchObject({
        code: 'CONSTRAINT',
        message: 'Row is still referenced by projects.user_id',
      });
      expectNoSqlIn(referenced);
    });

    it('too long, null and bad values → VALIDATION_FAILED naming the column', async () => {
      const tooLong = await rejectionOf(insertUser('l@x.test', 'far too long a name'));
      expect(tooLong).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'name' } });
      const nullName = await rejectionOf(insertUser('n@x.test', null as unknown as string));
      expect(nullName).toMatchObject({ code: 'VALIDATION_FAILED', message: 'name must not be null' });
      const badInt = await rejectionOf(
        db.service.query({
          app: 'shop',
          sql: 'INSERT INTO users (email, name, score) VALUES (?, ?, ?)',
          params: ['i@x.test', 'Ivy', 'secret-value'],
        }),
      );
      expect(badInt).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'score' } });
      for (const error of [tooLong, nullName, badInt]) expectNoSqlIn(error);
    });

    it('syntax errors and unknown columns → INTERNAL with a generic message; the details go to the logs', async () => {
      const syntax = await rejectionOf(
        db.service.query({
          app: 'shop',
          sql: 'SELEC email FROM users WHERE x = ?',
          params: ['secret-value'],
        }),
      );
      expect(syntax).toMatchObject({ code: 'INTERNAL', message: 'Database statement failed' });
      expectNoSqlIn(syntax);
      const ref = ((syntax as SogomsError).details as { ref: string }).ref;
      const logged = db.logs.ofKind('db_error').find((entry) => entry.data?.ref === ref);
      expect(logged?.data).toMatchObject({ code: 'INTERNAL', driver_code: 'ER_PARSE_ERROR' });
      expect(String(logged?.data?.sql)).toContain('SELEC email');

      const column = await rejectionOf(db.service.query({ app: 'shop', sql: 'SELECT nope FROM users' }));
      expect(column).toMatchObject({ code: 'INTERNAL', message: 'Database statement failed' });
      expectNoSqlIn(column);
    });

    it('a statement over the time limit → TIMEOUT, and the pool keeps working', async () => {
      const quick = await startDbHarness([testAppConfig('quick', DATABASE)], testGlobalConfig(), {
        statementTimeoutMs: 200,
      });
      try {
        const error = await rejectionOf(quick.service.query({ app: 'quick', sql: 'SELECT SLEEP(3) AS s' }));
        expect(error).toMatchObject({ code: 'TIMEOUT' });
        expect(await quick.service.query({ app: 'quick', sql: 'SELECT 1 AS one' })).toEqual([{ one: 1 }]);
      } finally {
        await quick.close();
      }
    });

    it('unknown app → NOT_FOUND; malformed payloads → BAD_REQUEST', async () => {
      await expect(db.service.query({ app: 'nope', sql: 'SELECT 1' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(db.service.query({ app: 'shop', sql: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(
        db.service.query({ app: 'shop', sql: 'SELECT ?', params: [{ email: 'x' }] }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(db.service.transaction({ app: 'shop', statements: [] })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
    });
  });

  it('reports statements at or over slow_query_ms with duration and SQL, never the values', async () => {
    await db.service.query({ app: 'shop', sql: 'SELECT SLEEP(0.4) AS s, ? AS v', params: ['secret-value'] });
    const slow = db.logs.ofKind('slow_query').at(-1);
    expect(slow).toMatchObject({
      app: 'shop',
      source: 'db',
      data: { sql: 'SELECT SLEEP(0.4) AS s, ? AS v' },
    });
    expect(slow?.data?.duration_ms as number).toBeGreaterThanOrEqual(300);
    expect(JSON.stringify(slow)).not.toContain('secret-value');
    expect(db.service.stats().slow_queries).toBeGreaterThanOrEqual(1);
  });
});
