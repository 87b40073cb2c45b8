import type { TokenClaims } from '@sogoms/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrudModule } from './crud.module.js';
import { CrudService, MAX_BULK_CREATE, type Query } from './crud.service.js';
import { failureOf, startGatewayFixture, type GatewayFixture } from './testing/gateway.fixture.js';

/** SQL of the app's own for statuses: per role, bound from the token and the request. */
const STATUS_QUERIES = {
  list: {
    default:
      'SELECT id, name, :role AS role_seen FROM statuses WHERE user_id = :user_id' +
      ' AND (:query.name IS NULL OR name = :query.name) ORDER BY id LIMIT :limit OFFSET :offset',
    admin: 'SELECT id, name FROM statuses ORDER BY id LIMIT :limit OFFSET :offset',
  },
  read: 'SELECT id, name FROM statuses WHERE id = :path.id AND user_id = :user_id',
};

/**
 * The service's decisions on the demo schema over a real database: whose rows a caller sees and
 * changes (directly or through parents), what a row of someone else answers, what includes join,
 * and which bodies and queries are refused before any SQL runs.
 */
describe('CrudService', () => {
  let fx: GatewayFixture;
  let crud: CrudService;
  let alice: TokenClaims;
  let bob: TokenClaims;
  let admin: TokenClaims;
  const ids = {
    aliceProject: 0,
    bobProject: 0,
    aliceTask: 0,
    bobTask: 0,
    // Bob's task in Alice's project, Alice's task in Bob's project: rows only SQL can arrange.
    bobInAliceProject: 0,
    aliceInBobProject: 0,
    aliceTag: 0,
    bobTag: 0,
  };

  const list = (table: string, caller: TokenClaims | null, query: Query = {}) =>
    crud.list(fx.runtime, table, query, caller);
  const read = (table: string, id: number | string, caller: TokenClaims | null, query: Query = {}) =>
    crud.read(fx.runtime, table, String(id), query, caller);
  const create = (table: string, body: unknown, caller: TokenClaims | null) =>
    crud.create(fx.runtime, table, body, caller);
  const patch = (table: string, id: number | string, body: unknown, caller: TokenClaims | null) =>
    crud.update(fx.runtime, table, String(id), body, caller, 'patch');
  const replace = (table: string, id: number | string, body: unknown, caller: TokenClaims | null) =>
    crud.update(fx.runtime, table, String(id), body, caller, 'replace');
  const remove = (table: string, id: number | string, caller: TokenClaims | null) =>
    crud.remove(fx.runtime, table, String(id), caller);
  const titleOf = async (id: number): Promise<unknown> =>
    (await fx.select('SELECT title FROM tasks WHERE id = ?', [id]))[0]?.title;
  const countOf = async (table: string): Promise<number> =>
    Number((await fx.select('SELECT COUNT(*) AS n FROM ??', [table]))[0].n);

  beforeAll(async () => {
    fx = await startGatewayFixture({
      features: [CrudModule],
      label: 'crud_service',
      files: { 'queries/statuses.yaml': STATUS_QUERIES },
    });
    crud = fx.app.get(CrudService);
    alice = await fx.user('alice@example.test');
    bob = await fx.user('bob@example.test');
    admin = await fx.user('admin@example.test', 'admin');
    const a = Number(alice.sub);
    const b = Number(bob.sub);
    ids.aliceProject = await fx.insert('projects', { user_id: a, name: 'Alice work' });
    ids.bobProject = await fx.insert('projects', { user_id: b, name: 'Bob home' });
    ids.aliceTask = await fx.insert('tasks', {
      user_id: a,
      project_id: ids.aliceProject,
      title: 'Alice task',
    });
    ids.bobTask = await fx.insert('tasks', { user_id: b, project_id: ids.bobProject, title: 'Bob task' });
    ids.bobInAliceProject = await fx.insert('tasks', {
      user_id: b,
      project_id: ids.aliceProject,
      title: 'Bob in Alice project',
    });
    ids.aliceInBobProject = await fx.insert('tasks', {
      user_id: a,
      project_id: ids.bobProject,
      title: 'Alice in Bob project',
    });
    ids.aliceTag = await fx.insert('tags', { user_id: a, name: 'urgent' });
    ids.bobTag = await fx.insert('tags', { user_id: b, name: 'later' });
    await fx.insert('task_tags', { task_id: ids.aliceTask, tag_id: ids.aliceTag });
    await fx.insert('task_tags', { task_id: ids.bobTask, tag_id: ids.bobTag });
  });

  afterAll(async () => {
    await fx?.close();
  });

  describe('owner rule', () => {
    it('lists only the caller’s rows, with a total of those alone', async () => {
      const answer = await list('tasks', alice, { sort: 'id', count: 'true' });
      expect(answer.rows.map((r) => r.title)).toEqual(['Alice task', 'Alice in Bob project']);
      expect(answer.rows.every((r) => r.user_id === Number(alice.sub))).toBe(true);
      expect(answer.meta).toEqual({ limit: 50, offset: 0, total: 2 });
    });

    it('lets an owner_bypass role see every row of that table only', async () => {
      const tasks = await list('tasks', admin, { sort: 'id' });
      expect(tasks.rows.map((r) => r.id)).toEqual([
        ids.aliceTask,
        ids.bobTask,
        ids.bobInAliceProject,
        ids.aliceInBobProject,
      ]);
      // projects has no owner_bypass: the admin owns none of them.
      expect((await list('projects', admin)).rows).toEqual([]);
    });

    it('stores the caller as owner whatever the body says; a bypass role may name another', async () => {
      const own = await create('tasks', { title: 'Mine', user_id: Number(bob.sub) }, alice);
      expect(own).toMatchObject({ title: 'Mine', user_id: Number(alice.sub) });
      const [stored] = await fx.select('SELECT user_id FROM tasks WHERE id = ?', [
        (own as { id: number }).id,
      ]);
      expect(stored.user_id).toBe(Number(alice.sub));

      const forBob = await create('tasks', { title: 'For Bob', user_id: Number(bob.sub) }, admin);
      expect(forBob).toMatchObject({ title: 'For Bob', user_id: Number(bob.sub) });
      await remove('tasks', (own as { id: number }).id, alice);
      await remove('tasks', (forBob as { id: number }).id, admin);
    });

    it('limits a join table to rows whose parents are the caller’s (task_tags)', async () => {
      expect((await list('task_tags', alice)).rows).toEqual([
        { task_id: ids.aliceTask, tag_id: ids.aliceTag },
      ]);
      expect((await list('task_tags', bob)).rows).toEqual([{ task_id: ids.bobTask, tag_id: ids.bobTag }]);
      expect((await read('task_tags', `${ids.aliceTask},${ids.aliceTag}`, alice)).task_id).toBe(
        ids.aliceTask,
      );
    });

    it('refuses a join row naming another user’s parent, and writes nothing', async () => {
      const before = await countOf('task_tags');
      const foreignTask = await failureOf(
        create('task_tags', { task_id: ids.bobTask, tag_id: ids.aliceTag }, alice),
      );
      expect(foreignTask.code).toBe('CONSTRAINT');
      // `statement`: where MariaDB's own refusal of a missing parent would have come from (the insert).
      expect(foreignTask.details).toEqual({
        table: 'task_tags',
        field: 'task_id',
        references: 'tasks',
        statement: 0,
      });
      const foreignTag = await failureOf(
        create('task_tags', { task_id: ids.aliceTask, tag_id: ids.bobTag }, alice),
      );
      expect(foreignTag.code).toBe('CONSTRAINT');
      expect(foreignTag.details).toEqual({
        table: 'task_tags',
        field: 'tag_id',
        references: 'tags',
        statement: 0,
      });
      // A missing parent reads exactly like another user's.
      const missing = await failureOf(create('task_tags', { task_id: 999_999, tag_id: ids.aliceTag }, alice));
      expect(missing.message).toBe(foreignTask.message);
      expect(missing.details).toEqual(foreignTask.details);
      expect(await countOf('task_tags')).toBe(before);
    });

    it('links the caller’s own parents', async () => {
      const linked = await create(
        'task_tags',
        { task_id: ids.aliceInBobProject, tag_id: ids.aliceTag },
        alice,
      );
      expect(linked).toEqual({ task_id: ids.aliceInBobProject, tag_id: ids.aliceTag });
      expect(await remove('task_tags', `${ids.aliceInBobProject},${ids.aliceTag}`, alice)).toEqual(linked);
    });

    it('lets an owner_bypass role change and delete another user’s row', async () => {
      const id = await fx.insert('tasks', { user_id: Number(bob.sub), title: 'Bob draft' });
      expect(await patch('tasks', id, { title: 'Moderated' }, admin)).toMatchObject({
        id,
        title: 'Moderated',
        user_id: Number(bob.sub),
      });
      expect(await remove('tasks', id, admin)).toEqual({ id });
      expect(await titleOf(id)).toBeUndefined();
    });

    it('keeps the users table to the caller’s own row, without its hidden fields', async () => {
      const rows = (await list('users', alice)).rows;
      expect(rows.map((r) => r.email)).toEqual(['alice@example.test']);
      expect(rows[0]).not.toHaveProperty('password_hash');
      expect((await failureOf(read('users', bob.sub, alice))).code).toBe('NOT_FOUND');
      expect((await failureOf(create('users', { email: 'new@example.test' }, alice))).code).toBe(
        'METHOD_NOT_ALLOWED',
      );
    });
  });

  describe('another user’s row answers like a missing one (404, never 403)', () => {
    it('read', async () => {
      const foreign = await failureOf(read('tasks', ids.bobTask, alice));
      const missing = await failureOf(read('tasks', 999_999, alice));
      expect(foreign.code).toBe('NOT_FOUND');
      expect(foreign.toBody()).toEqual(missing.toBody());
    });

    it('PATCH and PUT, leaving the row as it was', async () => {
      expect((await failureOf(patch('tasks', ids.bobTask, { title: 'stolen' }, alice))).code).toBe(
        'NOT_FOUND',
      );
      expect((await failureOf(replace('tasks', ids.bobTask, { title: 'stolen' }, alice))).code).toBe(
        'NOT_FOUND',
      );
      expect(await titleOf(ids.bobTask)).toBe('Bob task');
    });

    it('DELETE, leaving the row in place', async () => {
      expect((await failureOf(remove('tasks', ids.bobTask, alice))).code).toBe('NOT_FOUND');
      expect((await failureOf(remove('task_tags', `${ids.bobTask},${ids.bobTag}`, alice))).code).toBe(
        'NOT_FOUND',
      );
      expect(await titleOf(ids.bobTask)).toBe('Bob task');
      expect(await fx.select('SELECT * FROM task_tags WHERE task_id = ?', [ids.bobTask])).toHaveLength(1);
    });

    it('403 only for a token whose subject cannot own rows; 401 without a token', async () => {
      const odd = { sub: 'not-a-number', role: 'default' };
      expect((await failureOf(list('tasks', odd))).code).toBe('FORBIDDEN');
      expect((await failureOf(read('tasks', ids.aliceTask, null))).code).toBe('UNAUTHORIZED');
      expect((await failureOf(list('task_tags', null))).code).toBe('UNAUTHORIZED');
    });

    it('an unknown table is a 404 of its own', async () => {
      const error = await failureOf(list('nope', alice));
      expect(error.code).toBe('NOT_FOUND');
      expect(error.message).toBe('Unknown table nope');
    });
  });

  describe('include plans', () => {
    it('joins a belongs_to parent only when the caller owns it (else null)', async () => {
      const rows = (await list('tasks', alice, { include: 'project', sort: 'id' })).rows;
      expect(rows.map((r) => [r.title, (r.project as { name?: string } | null)?.name ?? null])).toEqual([
        ['Alice task', 'Alice work'],
        ['Alice in Bob project', null],
      ]);
    });

    it('lists has_many children of the caller only', async () => {
      const [project] = (await list('projects', alice, { include: 'tasks' })).rows;
      expect(project.name).toBe('Alice work');
      expect((project.tasks as { title: string }[]).map((t) => t.title)).toEqual(['Alice task']);
    });

    it('shapes many_to_many as an array and includes on a read', async () => {
      const task = await read('tasks', ids.aliceTask, alice, { include: 'tags,project', fields: 'id,title' });
      expect(task).toEqual({
        id: ids.aliceTask,
        title: 'Alice task',
        project: expect.objectContaining({ id: ids.aliceProject, name: 'Alice work' }),
        tags: [expect.objectContaining({ id: ids.aliceTag, name: 'urgent' })],
      });
    });

    it('an admin’s bypass does not reach the included table', async () => {
      // tasks bypasses for admins, projects does not: the admin sees Bob's task without its project.
      const task = await read('tasks', ids.bobTask, admin, { include: 'project' });
      expect(task.project).toBeNull();
    });

    it('refuses an unknown relation with the parameter named', async () => {
      const error = await failureOf(list('tasks', alice, { include: 'nope' }));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toEqual({ include: ['unknown relation nope of tasks'] });
    });
  });

  describe('what the database refuses keeps a stable code (never a 500)', () => {
    it('a duplicate unique key is CONFLICT', async () => {
      expect((await failureOf(create('tags', { name: 'urgent' }, alice))).code).toBe('CONFLICT');
      // The unique key is (user_id, name): Bob may have his own tag of that name.
      const bobs = (await create('tags', { name: 'urgent' }, bob)) as { id: number };
      await remove('tags', bobs.id, bob);
    });

    it('a bulk create is one transaction: a row the database refuses writes none', async () => {
      const before = await countOf('tasks');
      const error = await failureOf(
        create('tasks', [{ title: 'fine' }, { title: 'bad', project_id: 999_999 }], alice),
      );
      expect(error.code).toBe('CONSTRAINT');
      expect(await countOf('tasks')).toBe(before);
      const made = (await create('tasks', [{ title: 'one' }, { title: 'two' }], alice)) as {
        id: number;
        title: string;
      }[];
      expect(made.map((r) => r.title)).toEqual(['one', 'two']);
      for (const row of made) await remove('tasks', row.id, alice);
    });
  });

  describe('paging', () => {
    it('counts the caller’s rows even on a page past the end', async () => {
      const past = await list('tasks', alice, { count: 'true', offset: '10' });
      expect(past).toEqual({ rows: [], meta: { limit: 50, offset: 10, total: 2 } });
      const page = await list('tasks', alice, { count: 'true', limit: '1', sort: '-id' });
      expect(page.rows.map((r) => r.id)).toEqual([ids.aliceInBobProject]);
      expect(page.meta).toEqual({ limit: 1, offset: 0, total: 2 });
    });
  });

  describe('queries/{table}.yaml replaces the generated SQL', () => {
    let aliceStatus: number;
    let bobStatus: number;

    beforeAll(async () => {
      aliceStatus = await fx.insert('statuses', { user_id: Number(alice.sub), name: 'Todo' });
      bobStatus = await fx.insert('statuses', { user_id: Number(bob.sub), name: 'Doing' });
    });

    it('picks the SQL of the caller’s role, else the default one; pages without a total', async () => {
      expect(await list('statuses', alice)).toEqual({
        rows: [{ id: aliceStatus, name: 'Todo', role_seen: 'default' }],
        meta: { limit: 50, offset: 0 },
      });
      expect((await list('statuses', admin, { limit: '1', offset: '1' })).rows).toEqual([
        { id: bobStatus, name: 'Doing' },
      ]);
    });

    it('binds its own query names and refuses every other parameter', async () => {
      expect((await list('statuses', alice, { name: 'Nope' })).rows).toEqual([]);
      const error = await failureOf(list('statuses', alice, { filter: { name: 'Todo' }, count: 'true' }));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(error.details as object)).toEqual(['filter', 'count']);
    });

    it('a read whose SQL finds nothing is a 404, as for the generated one', async () => {
      expect(await read('statuses', aliceStatus, alice)).toEqual({ id: aliceStatus, name: 'Todo' });
      expect((await failureOf(read('statuses', bobStatus, alice))).code).toBe('NOT_FOUND');
    });
  });

  describe('validation (VALIDATION_FAILED with field details, nothing written)', () => {
    it('unknown, read-only, mistyped and missing fields of a create, all at once', async () => {
      const before = await countOf('tasks');
      const error = await failureOf(
        create('tasks', { id: 5, nope: 1, due_date: 'soon', position: 'first', secret: 'x' }, alice),
      );
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(error.details as object).sort()).toEqual(
        ['due_date', 'id', 'nope', 'position', 'secret', 'title'].sort(),
      );
      expect((error.details as Record<string, string[]>).title).toEqual(['title is required']);
      expect(await countOf('tasks')).toBe(before);
    });

    it('a string longer than its column', async () => {
      const error = await failureOf(create('tasks', { title: 'x'.repeat(201) }, alice));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(error.details as object)).toEqual(['title']);
    });

    it('a body that is not an object, and bulk bodies out of bounds', async () => {
      expect((await failureOf(create('tasks', 'text', alice))).details).toEqual({
        body: ['must be a JSON object'],
      });
      expect((await failureOf(create('tasks', [], alice))).code).toBe('VALIDATION_FAILED');
      const tooMany = Array.from({ length: MAX_BULK_CREATE + 1 }, (_, i) => ({ title: `t${i}` }));
      expect((await failureOf(create('tasks', tooMany, alice))).code).toBe('VALIDATION_FAILED');
    });

    it('a bulk create names the bad row and writes none of them', async () => {
      const before = await countOf('tasks');
      const error = await failureOf(create('tasks', [{ title: 'fine' }, { title: 7 }], alice));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(error.details as object)).toEqual(['[1].title']);
      expect(await countOf('tasks')).toBe(before);
    });

    it('an update with nothing to change, a PUT without a required field, a key change', async () => {
      expect((await failureOf(patch('tasks', ids.aliceTask, {}, alice))).message).toBe(
        'Request body has no field to change',
      );
      expect((await failureOf(replace('tasks', ids.aliceTask, { description: 'x' }, alice))).details).toEqual(
        {
          title: ['title is required'],
        },
      );
      expect(
        (await failureOf(patch('tasks', ids.aliceTask, { id: ids.aliceTask + 1 }, alice))).details,
      ).toEqual({
        id: ['id is part of the key and cannot change'],
      });
      expect(await titleOf(ids.aliceTask)).toBe('Alice task');
    });

    it('the users table’s role is read-only and its password hash does not exist', async () => {
      const error = await failureOf(patch('users', alice.sub, { role: 'admin', password_hash: 'x' }, alice));
      expect(error.details).toEqual({
        role: ['role is read-only'],
        password_hash: ['unknown field password_hash'],
      });
      expect((await fx.select('SELECT role FROM users WHERE id = ?', [alice.sub]))[0].role).toBe('default');
    });

    it('a bad id and bad query parameters', async () => {
      expect((await failureOf(read('tasks', 'abc', alice))).details).toEqual({
        id: [expect.stringContaining('id: ')],
      });
      expect((await failureOf(read('task_tags', '1', alice))).details).toEqual({
        id: ['must be 2 values in key order: task_id,tag_id'],
      });
      const error = await failureOf(
        list('tasks', alice, { filter: { nope: '1' }, limit: '1000', what: 'x' }),
      );
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(error.details as object).sort()).toEqual(['filter[nope]', 'limit', 'what']);
    });
  });
});
