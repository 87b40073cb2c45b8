import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '@sogoms/auth';
import { diffSchemas, migrationFor, writeSchemaYaml, type SchemaDef } from '@sogoms/schema';
import { ownedSakilaSchema, TEST_MARIADB } from '@sogoms/schema/testing';
import { createDatabaseFromSchema } from './support/schema-database.js';
import { createDemoDatabase, scanSchemaYaml } from './support/schema-scan.js';
import { dropDatabase, startStack, type TestStack } from './support/stack.js';
import { sqliteFileOf } from './support/test-config.factory.js';
import { ENGINES } from './support/test-engines.js';

const SUFFIX = randomBytes(3).toString('hex');
const DEMO_SECRET = 'owner-refs-demo-secret-0123456789abcdef0123';
const SHOP_SECRET = 'owner-refs-shop-secret-0123456789abcdef0123';
const MISSING = 999_999;

/** The demo as scanned, admins seeing every task (so an admin's write is not checked). */
const demoEdit = (schema: SchemaDef): SchemaDef => ({
  ...schema,
  tables: schema.tables.map((t) => (t.name === 'tasks' ? { ...t, ownerBypass: ['admin'] } : t)),
});

/** User 1 (A) owns every *1 row, user 2 (B) every *2 row; user 3 is an admin. */
const SHOP_SEED = [
  `INSERT INTO users (id, email, password_hash, role) VALUES
     (1, 'a@shop.test', 'x', 'default'), (2, 'b@shop.test', 'x', 'default'), (3, 'admin@shop.test', 'x', 'admin')`,
  "INSERT INTO staff (staff_id, name) VALUES (1, 'Mike')",
  "INSERT INTO store (store_id, user_id, name) VALUES (1, 1, 'A store'), (2, 2, 'B store')",
  "INSERT INTO customer (customer_id, user_id, store_id, name) VALUES (1, 1, 1, 'A customer'), (2, 2, 2, 'B customer')",
  "INSERT INTO inventory (inventory_id, store_id, name) VALUES (1, 1, 'A film'), (2, 2, 'B film')",
  'INSERT INTO rental (rental_id, user_id, inventory_id, customer_id) VALUES (1, 1, 1, 1), (2, 2, 2, 2)',
  'INSERT INTO payment (payment_id, user_id, rental_id, customer_id, amount) VALUES (1, 2, 2, 2, 1.00)',
];

/** One foreign key of an owner-filtered table, written by user B. */
interface ReferenceCase {
  app: 'demo' | 'shop';
  table: string;
  field: string;
  /** The rest of a create body. */
  base: () => Record<string, unknown>;
  /** A parent row of B's, and one of A's. */
  own: () => number;
  foreign: number;
  /** A row of B's to PATCH and PUT (none for a key field, which an update cannot change). */
  row?: () => number;
}

/** A case of the shop: B's parent is row 2, A's row 1; `row` is B's row of the table to update. */
const shopCase = (
  table: string,
  field: string,
  base: Record<string, unknown>,
  row: number,
): ReferenceCase => ({
  app: 'shop',
  table,
  field,
  base: () => base,
  own: () => 2,
  foreign: 1,
  row: () => row,
});

/** The shop on SQLite: its tables by migrate's SQLite DDL, then the seed, as an init file. */
const sqliteShopInit = (dir: string): string => {
  const { statements } = migrationFor(
    diffSchemas(ownedSakilaSchema(), { version: 1, tables: [] }),
    ownedSakilaSchema(),
    {
      allowDrop: false,
      engine: 'sqlite',
    },
  );
  const file = join(dir, 'shop-init.sql');
  writeFileSync(file, [...statements, ...SHOP_SEED].map((statement) => `${statement};\n`).join(''));
  return file;
};

describe.each(ENGINES)(
  'owner rule on references on %s: a write names only parent rows its caller can read',
  (engine) => {
    const DEMO_DB = `sogoms_test_owner_refs_demo_${SUFFIX}_${engine}`;
    const SHOP_DB = `sogoms_test_owner_refs_shop_${SUFFIX}_${engine}`;
    const dir = mkdtempSync(join(tmpdir(), 'sogoms-owner-refs-'));
    const shopFile = join(dir, 'shop.sqlite');
    let stack: TestStack;
    let sql: mysql.Connection;
    const tokens = { demo: { b: '', admin: '', a: '' }, shop: { b: '', admin: '', a: '' } };
    /** B's rows in the demo, made in beforeAll. */
    const demo = { project: 0, status: 0, tag: 0, task: 0, task2: 0 };

    const call = (
      app: 'demo' | 'shop',
      who: 'a' | 'b' | 'admin',
      method: string,
      path: string,
      body?: unknown,
    ) =>
      stack.call({
        host: `${app}.test`,
        method,
        path: `/api${path}`,
        headers: { authorization: `Bearer ${tokens[app][who]}` },
        body,
      });
    /** Behind the API's back, on the app's own database; `{db}.` qualifies a MariaDB table. */
    const execute = async (
      app: 'demo' | 'shop',
      query: string,
      params: unknown[] = [],
    ): Promise<{ rows: Record<string, unknown>[]; insertId: number }> => {
      if (engine === 'sqlite') {
        const db = new Database(app === 'demo' ? sqliteFileOf(stack.config.configRoot, 'demo') : shopFile);
        try {
          const statement = db.prepare(query.replaceAll('{db}.', ''));
          if (statement.reader)
            return { rows: statement.all(...params) as Record<string, unknown>[], insertId: 0 };
          return { rows: [], insertId: Number(statement.run(...params).lastInsertRowid) };
        } finally {
          db.close();
        }
      }
      const [result] = await sql.query(query.replaceAll('{db}', app === 'demo' ? DEMO_DB : SHOP_DB), params);
      return Array.isArray(result)
        ? { rows: result as Record<string, unknown>[], insertId: 0 }
        : { rows: [], insertId: (result as { insertId: number }).insertId };
    };
    const rows = async (app: 'demo' | 'shop', query: string, params: unknown[] = []) =>
      (await execute(app, query, params)).rows;
    const count = async (app: 'demo' | 'shop', table: string) =>
      Number((await rows(app, `SELECT COUNT(*) AS n FROM {db}.\`${table}\``))[0].n);

    beforeAll(async () => {
      // The demo's schema.yaml is scanned from MariaDB for both engines: one schema, two databases.
      await createDemoDatabase(DEMO_DB);
      if (engine === 'mariadb') await createDatabaseFromSchema(SHOP_DB, ownedSakilaSchema(), SHOP_SEED);
      stack = await startStack([
        {
          name: 'demo',
          hosts: ['demo.test'],
          database: DEMO_DB,
          secret: DEMO_SECRET,
          schemaYaml: await scanSchemaYaml(DEMO_DB, demoEdit),
          engine,
          initFromDemo: engine === 'sqlite',
        },
        {
          name: 'shop',
          hosts: ['shop.test'],
          database: SHOP_DB,
          secret: SHOP_SECRET,
          schemaYaml: writeSchemaYaml(ownedSakilaSchema()),
          ...(engine === 'sqlite'
            ? { appYaml: { database: { driver: 'sqlite', file: shopFile, init: [sqliteShopInit(dir)] } } }
            : {}),
        },
      ]);
      sql = await mysql.createConnection(TEST_MARIADB);
      const sign = (app: string, secret: string, sub: string, role: string) =>
        new TokenService().sign({ app, secret, expiresInS: 3600 }, { sub, role });
      // Demo: user 1 owns the seed; B registers; the seed's admin logs in.
      const login = async (email: string, password: string) =>
        (
          await stack.call({
            host: 'demo.test',
            method: 'POST',
            path: '/api/auth/login',
            body: { email, password },
          })
        ).json.data.token as string;
      tokens.demo.a = await login('demo@prokov.test', 'prokov-demo');
      tokens.demo.admin = await login('admin@prokov.test', 'prokov-admin');
      const registered = await stack.call({
        host: 'demo.test',
        method: 'POST',
        path: '/api/auth/register',
        body: { email: 'b@prokov.test', password: 'b-user-password' },
      });
      tokens.demo.b = registered.json.data.token;
      tokens.shop.a = await sign('shop', SHOP_SECRET, '1', 'default');
      tokens.shop.b = await sign('shop', SHOP_SECRET, '2', 'default');
      tokens.shop.admin = await sign('shop', SHOP_SECRET, '3', 'admin');
      const made = async (path: string, body: Record<string, unknown>) => {
        const answer = await call('demo', 'b', 'POST', path, body);
        expect(answer.status, answer.text).toBe(201);
        return answer.json.data.id as number;
      };
      demo.project = await made('/projects', { name: 'B project' });
      demo.status = await made('/statuses', { name: 'B status' });
      demo.tag = await made('/tags', { name: 'B tag' });
      demo.task = await made('/tasks', { title: 'B task' });
      demo.task2 = await made('/tasks', { title: 'B task 2' });
    }, 120_000);

    afterAll(async () => {
      await sql?.end();
      await stack?.stop();
      await dropDatabase(DEMO_DB);
      await dropDatabase(SHOP_DB);
      rmSync(dir, { recursive: true, force: true });
    });

    const cases: ReferenceCase[] = [
      {
        app: 'demo',
        table: 'tasks',
        field: 'project_id',
        base: () => ({ title: 'sneak' }),
        own: () => demo.project,
        foreign: 1,
        row: () => demo.task,
      },
      {
        app: 'demo',
        table: 'tasks',
        field: 'status_id',
        base: () => ({ title: 'sneak' }),
        own: () => demo.status,
        foreign: 1,
        row: () => demo.task,
      },
      {
        app: 'demo',
        table: 'task_tags',
        field: 'task_id',
        base: () => ({ tag_id: demo.tag }),
        own: () => demo.task,
        foreign: 1,
      },
      {
        app: 'demo',
        table: 'task_tags',
        field: 'tag_id',
        base: () => ({ task_id: demo.task2 }),
        own: () => demo.tag,
        foreign: 1,
      },
      // B owns every *2 row of the shop, A every *1 row.
      shopCase('customer', 'store_id', { name: 'c' }, 2),
      shopCase('inventory', 'store_id', { name: 'i' }, 2),
      // inventory is owned only through its store: two levels up.
      shopCase('rental', 'inventory_id', { customer_id: 2 }, 2),
      shopCase('rental', 'customer_id', { inventory_id: 2 }, 2),
      shopCase('payment', 'rental_id', { amount: '2.50' }, 1),
    ];

    for (const c of cases) {
      it(`${c.app} ${c.table}.${c.field}: another user's parent is refused like a missing one`, async () => {
        const before = await count(c.app, c.table);
        const foreign = await call(c.app, 'b', 'POST', `/${c.table}`, { ...c.base(), [c.field]: c.foreign });
        expect(foreign.status, foreign.text).toBe(409);
        expect(foreign.json.error).toEqual({
          code: 'CONSTRAINT',
          message: `Referenced ${foreign.json.error.details.references} does not exist (${c.table}.${c.field})`,
          details: { table: c.table, field: c.field, references: expect.any(String), statement: 0 },
        });
        // No existence oracle: a missing id answers the very same bytes, and so does the database
        // itself when an admin (not checked) names a missing parent.
        const missing = await call(c.app, 'b', 'POST', `/${c.table}`, { ...c.base(), [c.field]: MISSING });
        expect(missing.status).toBe(409);
        expect(missing.text).toBe(foreign.text);
        const byDatabase = await call(c.app, 'admin', 'POST', `/${c.table}`, {
          ...c.base(),
          [c.field]: MISSING,
        });
        expect(byDatabase.text).toBe(foreign.text);
        // One bad row fails the whole batch.
        const batch = await call(c.app, 'b', 'POST', `/${c.table}`, [
          { ...c.base(), [c.field]: c.own() },
          { ...c.base(), [c.field]: c.foreign },
        ]);
        expect(batch.status).toBe(409);
        expect(batch.json.error.details.statement).toBe(2);
        const batchByDatabase = await call(c.app, 'admin', 'POST', `/${c.table}`, [
          { ...c.base(), [c.field]: c.own() },
          { ...c.base(), [c.field]: MISSING },
        ]);
        expect(batch.text).toBe(batchByDatabase.text);
        expect(await count(c.app, c.table)).toBe(before);

        if (c.row !== undefined) {
          const path = `/${c.table}/${c.row()}`;
          const original = await call(c.app, 'b', 'GET', path);
          expect(original.status).toBe(200);
          const patch = await call(c.app, 'b', 'PATCH', path, { [c.field]: c.foreign });
          expect(patch.status).toBe(409);
          expect(patch.text).toBe(foreign.text);
          const put = await call(c.app, 'b', 'PUT', path, { ...original.json.data, [c.field]: c.foreign });
          expect(put.status).toBe(409);
          expect(put.text).toBe(foreign.text);
          expect((await call(c.app, 'b', 'GET', path)).json.data).toEqual(original.json.data);
          // The owner's own parent is accepted.
          const moved = await call(c.app, 'b', 'PATCH', path, { [c.field]: c.own() });
          expect(moved.status, moved.text).toBe(200);
          expect(moved.json.data[c.field]).toBe(c.own());
        }

        const own = await call(c.app, 'b', 'POST', `/${c.table}`, { ...c.base(), [c.field]: c.own() });
        expect(own.status, own.text).toBe(201);
        const admin = await call(c.app, 'admin', 'POST', `/${c.table}`, {
          ...c.base(),
          [c.field]: c.foreign,
        });
        expect(admin.status, admin.text).toBe(201);
        expect(await count(c.app, c.table)).toBe(before + 2);
      });
    }

    it('lets a relation marked owner_check: false name another user’s parent (payment.customer_id)', async () => {
      const created = await call('shop', 'b', 'POST', '/payment', { amount: '3.00', customer_id: 1 });
      expect(created.status, created.text).toBe(201);
      expect(created.json.data).toMatchObject({ user_id: 2, customer_id: 1 });
      const patched = await call('shop', 'b', 'PATCH', `/payment/${created.json.data.payment_id}`, {
        customer_id: 1,
        rental_id: 2,
      });
      expect(patched.status, patched.text).toBe(200);
      // The other key of the same row is still checked.
      const refused = await call('shop', 'b', 'PATCH', `/payment/${created.json.data.payment_id}`, {
        customer_id: 1,
        rental_id: 1,
      });
      expect(refused.status).toBe(409);
      expect(refused.json.error.details).toEqual({
        table: 'payment',
        field: 'rental_id',
        references: 'rental',
        statement: 0,
      });
    });

    it('checks nothing a PATCH does not give, and never a NULL', async () => {
      // Point B's task at A's project behind the API's back: a PATCH of another field still passes.
      await rows('demo', 'UPDATE {db}.tasks SET project_id = 1 WHERE id = ?', [demo.task2]);
      const renamed = await call('demo', 'b', 'PATCH', `/tasks/${demo.task2}`, { title: 'renamed' });
      expect(renamed.status, renamed.text).toBe(200);
      const cleared = await call('demo', 'b', 'PATCH', `/tasks/${demo.task2}`, { project_id: null });
      expect(cleared.status, cleared.text).toBe(200);
      expect(cleared.json.data.project_id).toBeNull();
    });

    it('joins no other user’s rows into two levels of has_many includes', async () => {
      // A's task inside B's project, and B's task linked to A's tag: written behind the API's back.
      const inserted = await execute(
        'demo',
        "INSERT INTO {db}.tasks (user_id, project_id, title) VALUES (1, ?, 'A inside B')",
        [demo.project],
      );
      await rows('demo', 'INSERT INTO {db}.task_tags (task_id, tag_id) VALUES (?, 1), (?, 1)', [
        inserted.insertId,
        demo.task,
      ]);
      await rows('demo', 'UPDATE {db}.tasks SET project_id = ? WHERE id = ?', [demo.project, demo.task]);
      const answer = await call(
        'demo',
        'b',
        'GET',
        `/projects/${demo.project}?include=tasks.task_tags,tasks.tags`,
      );
      expect(answer.status, answer.text).toBe(200);
      const tasks = answer.json.data.tasks as {
        id: number;
        user_id: number;
        task_tags: { tag_id: number }[];
        tags: { id: number }[];
      }[];
      expect(tasks.map((t) => t.id)).toContain(demo.task);
      expect(tasks.every((t) => t.user_id !== 1)).toBe(true);
      const own = tasks.find((t) => t.id === demo.task)!;
      expect(own.task_tags.map((l) => l.tag_id)).not.toContain(1);
      expect(own.tags.map((t) => t.id)).not.toContain(1);
      // The database does hold them: the owner of the tag sees the link through their own tag.
      const mine = await call('demo', 'a', 'GET', '/tags/1?include=task_tags');
      expect((mine.json.data.task_tags as { task_id: number }[]).map((l) => l.task_id)).toContain(
        inserted.insertId,
      );

      // The shop: B's store → its inventory → rentals, where A holds a rental of B's film.
      await rows('shop', 'INSERT INTO {db}.rental (user_id, inventory_id) VALUES (1, 2)');
      const store = await call('shop', 'b', 'GET', '/store/2?include=inventory.rental');
      expect(store.status, store.text).toBe(200);
      const rentals = (store.json.data.inventory as { rental: { user_id: number }[] }[]).flatMap(
        (i) => i.rental,
      );
      expect(rentals.length).toBeGreaterThan(0);
      expect(rentals.every((r) => r.user_id === 2)).toBe(true);
      expect(
        Number(
          (
            await rows('shop', 'SELECT COUNT(*) AS n FROM {db}.rental WHERE inventory_id = 2 AND user_id = 1')
          )[0].n,
        ),
      ).toBe(1);
    });
  },
);
