import type { TokenClaims } from '@sogoms/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbClient } from '../ipc/db.client.js';
import { CrudModule } from './crud.module.js';
import { IDEMPOTENCY_TABLE } from './idempotency.table.js';
import { startGatewayFixture, type GatewayFixture } from './testing/gateway.fixture.js';

/**
 * `POST /{table}` with an `Idempotency-Key` over HTTP on a real MariaDB: a repeat answers the
 * first request's rows, another body 422, a bad key 400, racing duplicates make one row, and a
 * create without the header runs exactly the statements it ran before.
 */
describe('POST /{table} with an Idempotency-Key', () => {
  let fx: GatewayFixture;
  let alice: TokenClaims;
  let aliceToken: string;
  let bobToken: string;
  let db: DbClient;

  const post = (path: string, body: unknown, key: string | undefined, token = aliceToken) =>
    fx.request('POST', path, { token, body, headers: key === undefined ? {} : { 'idempotency-key': key } });
  const tasksTitled = async (title: string): Promise<number> =>
    Number((await fx.select('SELECT COUNT(*) AS n FROM tasks WHERE title = ?', [title]))[0].n);

  beforeAll(async () => {
    fx = await startGatewayFixture({ features: [CrudModule], label: 'idempotent_create' });
    db = fx.app.get(DbClient);
    alice = await fx.user('alice@example.test');
    aliceToken = await fx.token(alice);
    bobToken = await fx.token(await fx.user('bob@example.test'));
  });

  afterAll(async () => {
    await fx?.close();
  });

  it('without the header: the same two statements as ever, and no table of keys', async () => {
    const before = (await db.stats()).queries;
    const created = await post('/tasks', { title: 'No key' }, undefined);
    expect(created.status).toBe(201);
    expect(created.raw.headers['idempotent-replayed']).toBeUndefined();
    // INSERT and the re-read (START TRANSACTION / COMMIT are not counted as queries).
    expect((await db.stats()).queries - before).toBe(2);
    expect(await fx.select('SHOW TABLES LIKE ?', [IDEMPOTENCY_TABLE])).toEqual([]);
  });

  it('a repeat with the same key and body answers the first row (201, Idempotent-Replayed) and makes none', async () => {
    const body = { title: 'Pay the rent', position: 4 };
    const first = await post('/tasks', body, 'rent-2026-11');
    expect(first.status).toBe(201);
    expect(first.raw.headers['idempotent-replayed']).toBeUndefined();
    // The same body with its keys in another order is the same body.
    const again = await post('/tasks', { position: 4, title: 'Pay the rent' }, 'rent-2026-11');
    expect(again.status).toBe(201);
    expect(again.raw.headers['idempotent-replayed']).toBe('true');
    expect(again.json).toEqual(first.json);
    expect(await tasksTitled('Pay the rent')).toBe(1);
  });

  it('the replay reads the row as it is now; a row deleted since answers 410 IDEMPOTENT_ROW_GONE', async () => {
    const first = await post('/tasks', { title: 'Will change' }, 'change-me');
    const id = first.json.data.id as number;
    await fx.request('PATCH', `/tasks/${id}`, { token: aliceToken, body: { position: 9 } });
    const again = await post('/tasks', { title: 'Will change' }, 'change-me');
    expect(again.json.data).toMatchObject({ id, title: 'Will change', position: 9 });
    await fx.request('DELETE', `/tasks/${id}`, { token: aliceToken });
    const gone = await post('/tasks', { title: 'Will change' }, 'change-me');
    expect(gone.status).toBe(410);
    expect(gone.json.error).toEqual({
      code: 'IDEMPOTENT_ROW_GONE',
      message: 'The tasks rows this Idempotency-Key created no longer exist',
      details: { table: 'tasks' },
    });
    expect(await tasksTitled('Will change')).toBe(0);
  });

  it('the same key with another body: 422 IDEMPOTENCY_KEY_REUSED, nothing created', async () => {
    expect((await post('/tasks', { title: 'Original' }, 'reused')).status).toBe(201);
    const other = await post('/tasks', { title: 'Something else' }, 'reused');
    expect(other.status).toBe(422);
    expect(other.json.error).toEqual({
      code: 'IDEMPOTENCY_KEY_REUSED',
      message: 'This Idempotency-Key was used for another body on tasks',
      details: { table: 'tasks' },
    });
    expect(await tasksTitled('Something else')).toBe(0);
  });

  it('a malformed key is a 400 IDEMPOTENCY_KEY_INVALID before anything runs', async () => {
    for (const [key, problem] of [
      ['', 'must not be empty'],
      ['   ', 'must not be empty'],
      ['k'.repeat(256), 'must be at most 255 characters'],
      ['tab\there', 'must be printable ASCII (0x20–0x7E)'],
    ]) {
      const answer = await post('/tasks', { title: 'Bad key' }, key);
      expect(answer.status, JSON.stringify(key)).toBe(400);
      expect(answer.json.error).toEqual({
        code: 'IDEMPOTENCY_KEY_INVALID',
        message: `Idempotency-Key ${problem}`,
        details: { 'Idempotency-Key': [problem] },
      });
    }
    expect((await post('/tasks', { title: 'Long key' }, 'k'.repeat(255))).status).toBe(201);
    expect(await tasksTitled('Bad key')).toBe(0);
  });

  it('keys are per user and per table: another user, or another table, creates with the same key', async () => {
    const mine = await post('/tasks', { title: 'Shared key' }, 'shared');
    const bobs = await post('/tasks', { title: 'Shared key' }, 'shared', bobToken);
    expect(bobs.status).toBe(201);
    expect(bobs.raw.headers['idempotent-replayed']).toBeUndefined();
    expect(bobs.json.data.id).not.toBe(mine.json.data.id);
    const project = await post('/projects', { name: 'Shared key' }, 'shared');
    expect(project.status).toBe(201);
    expect(project.raw.headers['idempotent-replayed']).toBeUndefined();
    expect(await tasksTitled('Shared key')).toBe(2);
  });

  it('twenty identical requests at once make one row, and every one answers it', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => post('/tasks', { title: 'Raced' }, 'race-1')),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    expect(new Set(answers.map((a) => a.json.data.id as number)).size).toBe(1);
    expect(answers.filter((a) => a.raw.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    expect(await tasksTitled('Raced')).toBe(1);
  });

  it('an array body is replayed as the same array; a key the body gives (task_tags) is found again', async () => {
    const task = (await post('/tasks', { title: 'Tagged' }, undefined)).json.data.id as number;
    const tag1 = (await post('/tags', { name: 'one' }, undefined)).json.data.id as number;
    const tag2 = (await post('/tags', { name: 'two' }, undefined)).json.data.id as number;
    const body = [
      { task_id: task, tag_id: tag1 },
      { task_id: task, tag_id: tag2 },
    ];
    const first = await post('/task_tags', body, 'tag-it');
    expect(first.status).toBe(201);
    const again = await post('/task_tags', body, 'tag-it');
    expect(again.raw.headers['idempotent-replayed']).toBe('true');
    expect(again.json).toEqual(first.json);
    const bulk = [{ title: 'Bulk A' }, { title: 'Bulk B' }];
    const created = await post('/tasks', bulk, 'bulk-1');
    const replayed = await post('/tasks', bulk, 'bulk-1');
    expect(replayed.json).toEqual(created.json);
    expect(replayed.json.data).toHaveLength(2);
    expect(await tasksTitled('Bulk A')).toBe(1);
  });

  it('a refused create records no key: the key may be used again', async () => {
    const refused = await post('/tasks', { title: 'x'.repeat(300) }, 'refused-first');
    expect(refused.status).toBe(400);
    const fixed = await post('/tasks', { title: 'Fixed' }, 'refused-first');
    expect(fixed.status).toBe(201);
    expect(fixed.raw.headers['idempotent-replayed']).toBeUndefined();
  });

  it('a key older than the retention (24 h by default) is free again: a new row, recorded anew', async () => {
    const first = await post('/tasks', { title: 'Daily' }, 'daily');
    await fx.sql.query(
      `UPDATE ${IDEMPOTENCY_TABLE} SET created_at = created_at - ? WHERE idempotency_key = ?`,
      [24 * 3600_000 + 1000, 'daily'],
    );
    const next = await post('/tasks', { title: 'Daily' }, 'daily');
    expect(next.status).toBe(201);
    expect(next.raw.headers['idempotent-replayed']).toBeUndefined();
    expect(next.json.data.id).not.toBe(first.json.data.id);
    const again = await post('/tasks', { title: 'Daily' }, 'daily');
    expect(again.json.data.id).toBe(next.json.data.id);
    expect(await tasksTitled('Daily')).toBe(2);
  });

  it('records app, table, caller, key, body hash, row id and time', async () => {
    const created = await post('/tasks', { title: 'Recorded' }, 'look-at-me');
    const [row] = await fx.select(`SELECT * FROM ${IDEMPOTENCY_TABLE} WHERE idempotency_key = ?`, [
      'look-at-me',
    ]);
    expect(row).toMatchObject({
      app: 'prokov',
      table_name: 'tasks',
      caller: alice.sub,
      item: 0,
      row_auto: created.json.data.id,
      row_key: '[null]',
    });
    expect(String(row.request_hash)).toMatch(/^[0-9a-f]{64}$/);
    expect(Math.abs(Number(row.created_at) - Date.now())).toBeLessThan(60_000);
  });
});
