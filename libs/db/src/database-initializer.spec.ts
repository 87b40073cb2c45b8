import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import bcrypt from 'bcrypt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminConnection,
  databaseExists,
  dropDatabases,
  startDbHarness,
  testAppConfig,
  testDatabaseName,
} from './testing/db-test-kit.js';

const PROKOV_SQL = resolve(import.meta.dirname, '../../../config/apps/prokov/sql');

describe('database init at db-service start', () => {
  const databases: string[] = [];
  let scratch: string;

  const database = (label: string): string => {
    const name = testDatabaseName(label);
    databases.push(name);
    return name;
  };
  const sqlFile = (name: string, content: string): string => {
    const file = join(scratch, name);
    writeFileSync(file, content);
    return file;
  };

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'sogoms-db-init-'));
  });

  afterAll(async () => {
    await dropDatabases(databases);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('creates the database (utf8mb4) and runs the files in order, once: a second start leaves it alone', async () => {
    const name = database('init_once');
    const schema = sqlFile('once-schema.sql', 'CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(50));\n');
    const seed = sqlFile(
      'once-seed.sql',
      "INSERT INTO notes VALUES (1, 'first');\nINSERT INTO notes VALUES (2, 'second');\n",
    );
    const app = testAppConfig('notes', name, { init: [schema, seed] });

    const first = await startDbHarness([app]);
    expect(
      await first.service.query({ app: 'notes', sql: 'SELECT id, body FROM notes ORDER BY id' }),
    ).toEqual([
      { id: 1, body: 'first' },
      { id: 2, body: 'second' },
    ]);
    await first.service.query({ app: 'notes', sql: 'INSERT INTO notes VALUES (?, ?)', params: [3, 'mine'] });
    await first.close();

    const admin = await adminConnection();
    const [charset] = await admin.query(
      'SELECT DEFAULT_CHARACTER_SET_NAME AS cs FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [name],
    );
    await admin.end();
    expect(charset).toEqual([{ cs: 'utf8mb4' }]);

    // Second start: the seed would fail on duplicate ids if it ran again; the row added stays.
    const second = await startDbHarness([app]);
    try {
      expect(second.registry.get('notes').state).toBe('open');
      expect(await second.service.query({ app: 'notes', sql: 'SELECT id FROM notes ORDER BY id' })).toEqual([
        { id: 1 },
        { id: 2 },
        { id: 3 },
      ]);
    } finally {
      await second.close();
    }
  });

  it('a failing file drops the half-made database, reports the file, and app calls get UNAVAILABLE', async () => {
    const name = database('init_broken');
    const good = sqlFile('good.sql', 'CREATE TABLE a (id INT PRIMARY KEY);');
    const broken = sqlFile('broken.sql', 'CREATE TABLE b (id INT PRIMARY KEY);\nCREATE TABLE oops (;\n');
    const db = await startDbHarness([testAppConfig('broken', name, { init: [good, broken] })]);
    try {
      expect(db.registry.get('broken').state).toBe('failed');
      expect(await databaseExists(name)).toBe(false);
      const reported = db.logs.ofKind('db_init_failed');
      expect(reported).toHaveLength(1);
      expect(reported[0]).toMatchObject({
        app: 'broken',
        data: { file: broken, driver_code: 'ER_PARSE_ERROR' },
      });
      const error = await db.service.query({ app: 'broken', sql: 'SELECT 1' }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'UNAVAILABLE',
        message: "Database of app 'broken' could not be initialised",
      });
    } finally {
      await db.close();
    }
  });

  it('a missing file is reported the same way', async () => {
    const name = database('init_missing');
    const missing = join(scratch, 'does-not-exist.sql');
    const db = await startDbHarness([testAppConfig('missing', name, { init: [missing] })]);
    try {
      expect(db.registry.get('missing').state).toBe('failed');
      expect(await databaseExists(name)).toBe(false);
      expect(db.logs.ofKind('db_init_failed')[0]).toMatchObject({ data: { file: missing } });
    } finally {
      await db.close();
    }
  });

  it('loads the prokov demo schema and seed; the demo passwords verify', async () => {
    const name = database('prokov');
    const app = testAppConfig('prokov', name, {
      init: [join(PROKOV_SQL, 'schema.sql'), join(PROKOV_SQL, 'seed.sql')],
    });
    const db = await startDbHarness([app]);
    try {
      const q = (sql: string, params: (string | number)[] = []) =>
        db.service.query({ app: 'prokov', sql, params });
      const users = await q('SELECT id, email, password_hash, role FROM users ORDER BY id');
      expect(users.map((u) => [u.email, u.role])).toEqual([
        ['demo@prokov.test', 'default'],
        ['admin@prokov.test', 'admin'],
      ]);
      expect(await bcrypt.compare('prokov-demo', String(users[0].password_hash))).toBe(true);
      expect(await bcrypt.compare('prokov-admin', String(users[1].password_hash))).toBe(true);

      const counts = await db.service.queryOne({
        app: 'prokov',
        sql: `SELECT (SELECT COUNT(*) FROM projects WHERE user_id = 1) AS projects,
                     (SELECT COUNT(*) FROM statuses WHERE user_id = 1) AS statuses,
                     (SELECT COUNT(*) FROM tags WHERE user_id = 1) AS tags,
                     (SELECT COUNT(*) FROM tasks WHERE user_id = 1) AS tasks,
                     (SELECT COUNT(*) FROM task_tags) AS task_tags`,
      });
      expect(counts).toEqual({
        projects: 3,
        statuses: 4,
        tags: 5,
        tasks: 12,
        task_tags: expect.any(Number) as number,
      });
      expect(Number(counts?.task_tags)).toBeGreaterThan(0);

      // The foreign keys are real: a task cannot point at a missing project ...
      await expect(
        db.service.query({
          app: 'prokov',
          sql: 'INSERT INTO tasks (user_id, project_id, title) VALUES (?, ?, ?)',
          params: [1, 999, 'x'],
        }),
      ).rejects.toMatchObject({ code: 'CONSTRAINT' });
      // ... the e-mail is unique ...
      await expect(
        db.service.query({
          app: 'prokov',
          sql: 'INSERT INTO users (email, password_hash, name) VALUES (?, ?, ?)',
          params: ['demo@prokov.test', 'x', 'x'],
        }),
      ).rejects.toMatchObject({ code: 'CONFLICT', message: 'Duplicate value for users.email' });
      // ... deleting a project unfiles its tasks, deleting the user removes everything of theirs.
      await db.service.query({ app: 'prokov', sql: 'DELETE FROM projects WHERE id = ?', params: [1] });
      expect(await q('SELECT COUNT(*) AS n FROM tasks WHERE project_id IS NULL')).toEqual([{ n: 5 }]);
      await db.service.query({ app: 'prokov', sql: 'DELETE FROM users WHERE id = ?', params: [1] });
      expect(
        await db.service.queryOne({
          app: 'prokov',
          sql: 'SELECT (SELECT COUNT(*) FROM tasks) + (SELECT COUNT(*) FROM task_tags) + (SELECT COUNT(*) FROM tags) AS n',
        }),
      ).toEqual({ n: 0 });
    } finally {
      await db.close();
    }
  });
});
