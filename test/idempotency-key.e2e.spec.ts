import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainDemoSchemaYaml } from './support/demo-schema.js';
import { dropDatabase, startStack, type TestStack } from './support/stack.js';
import { sqliteFileOf } from './support/test-config.factory.js';
import { ENGINES } from './support/test-engines.js';

const DB_PREFIX = `sogoms_test_idem_${randomBytes(3).toString('hex')}`;
const SECRET = 'idempotency-e2e-secret-0123456789abcdef012345';

/**
 * `Idempotency-Key` through the whole stack (gateway → db service → the engine) on both engines:
 * the key table is made on demand in the app's database, a repeat is replayed, racing duplicates
 * make one row.
 */
describe.each(ENGINES)('Idempotency-Key on POST, end to end on %s', (engine) => {
  const DB = `${DB_PREFIX}_${engine}`;
  let stack: TestStack;
  let token: string;

  const post = (path: string, body: unknown, key?: string) =>
    stack.call({
      host: 'idem.test',
      method: 'POST',
      path: `/api${path}`,
      headers: { authorization: `Bearer ${token}`, ...(key === undefined ? {} : { 'idempotency-key': key }) },
      body,
    });
  const countTitled = async (title: string): Promise<number> =>
    (
      await stack.call({
        host: 'idem.test',
        path: `/api/tasks?filter[title]=${encodeURIComponent(title)}&count=true`,
        headers: { authorization: `Bearer ${token}` },
      })
    ).json.meta.total as number;
  /** Rows of the app's own database, behind the API's back. */
  const select = async (sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> => {
    if (engine === 'sqlite') {
      const db = new Database(sqliteFileOf(stack.config.configRoot, 'idem'), { readonly: true });
      try {
        return db.prepare(sql).all(...params) as Record<string, unknown>[];
      } finally {
        db.close();
      }
    }
    const c = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: DB });
    try {
      return (await c.query(sql, params))[0] as Record<string, unknown>[];
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    stack = await startStack([
      {
        name: 'idem',
        hosts: ['idem.test'],
        database: DB,
        secret: SECRET,
        schemaYaml: plainDemoSchemaYaml(),
        engine,
        initFromDemo: true,
      },
    ]);
    const login = await stack.call({
      host: 'idem.test',
      method: 'POST',
      path: '/api/auth/login',
      body: { email: 'demo@prokov.test', password: 'prokov-demo' },
    });
    token = login.json.data.token as string;
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    if (engine === 'mariadb') await dropDatabase(DB);
  });

  it('a repeat answers the first row with Idempotent-Replayed: true; the key is in sogoms_idempotency', async () => {
    const first = await post('/tasks', { title: 'Once only', project_id: 1 }, 'once-only');
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post('/tasks', { project_id: 1, title: 'Once only' }, 'once-only');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json).toEqual(first.json);
    expect(await countTitled('Once only')).toBe(1);
    const recorded = await select(
      'SELECT table_name, caller, item, row_auto FROM sogoms_idempotency WHERE idempotency_key = ?',
      ['once-only'],
    );
    expect(recorded).toEqual([{ table_name: 'tasks', caller: '1', item: 0, row_auto: first.json.data.id }]);
  });

  it('another body with the key: 422 IDEMPOTENCY_KEY_REUSED; a bad key: 400 IDEMPOTENCY_KEY_INVALID', async () => {
    await post('/tasks', { title: 'First body' }, 'one-key');
    const reused = await post('/tasks', { title: 'Second body' }, 'one-key');
    expect(reused.status).toBe(422);
    expect(reused.json.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const bad = await post('/tasks', { title: 'Bad key' }, 'x'.repeat(256));
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('IDEMPOTENCY_KEY_INVALID');
    expect(await countTitled('Second body')).toBe(0);
    expect(await countTitled('Bad key')).toBe(0);
  });

  it('sixteen identical requests at once: one row, every answer names it', async () => {
    const answers = await Promise.all(
      Array.from({ length: 16 }, () => post('/tasks', { title: 'At once' }, 'at-once')),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    expect(new Set(answers.map((a) => a.json.data.id as number)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(15);
    expect(await countTitled('At once')).toBe(1);
  });
});
