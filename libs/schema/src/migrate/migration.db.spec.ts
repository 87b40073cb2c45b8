import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeChange } from '../diff/change-description.js';
import { diffSchemas } from '../diff/schema-diff.js';
import { readDatabase } from '../introspection/information-schema.reader.js';
import { schemaFromDatabase } from '../introspection/schema-from-database.js';
import type { SchemaDef } from '../schema.types.js';
import { aField, anIdField, aSchema, aTable } from '../testing/schema.factory.js';
import { loadSakila, TEST_MARIADB } from '../testing/sakila-loader.js';
import { migrationFor } from './ddl-builder.js';
import { applyMigration, type MigrationRun } from './migration-runner.js';

const PROKOV_SQL = fileURLToPath(new URL('../../../../config/apps/prokov/sql/schema.sql', import.meta.url));

/** Diff, migrate and apply against the real MariaDB, reading the live side by introspection. */
describe('diff and migrate on MariaDB', () => {
  let admin: mysql.Connection;
  const created: string[] = [];

  const newDatabase = async (): Promise<string> => {
    const name = `sogoms_test_migrate_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    created.push(name);
    return name;
  };
  /** One connection into `database`, as the CLI has: the whole migration runs on it. */
  const connect = (database: string): Promise<mysql.Connection> =>
    mysql.createConnection({ ...TEST_MARIADB, database, multipleStatements: true });
  const liveSchema = async (database: string): Promise<SchemaDef> => {
    const raw = await readDatabase(async (sql, params) => {
      const [rows] = await admin.query(sql, params);
      return rows as Record<string, unknown>[];
    }, database);
    return schemaFromDatabase(raw).schema;
  };
  const migrateTo = async (desired: SchemaDef, database: string, allowDrop = false) => {
    const migration = migrationFor(diffSchemas(desired, await liveSchema(database)), desired, { allowDrop });
    const connection = await connect(database);
    let run: MigrationRun;
    try {
      run = await applyMigration(migration.statements, (sql) => connection.query(sql));
    } finally {
      await connection.end();
    }
    return { ...migration, run, after: diffSchemas(desired, await liveSchema(database)) };
  };

  beforeAll(async () => {
    admin = await mysql.createConnection({ ...TEST_MARIADB, multipleStatements: true });
  });
  afterAll(async () => {
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  });

  it('sees an added column, a changed type and a dropped index, and migrates them back', async () => {
    const db = await newDatabase();
    await admin.query(
      `CREATE TABLE \`${db}\`.items (
         id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
         title VARCHAR(128) NOT NULL,
         price DECIMAL(6,2) NOT NULL DEFAULT 1.50,
         KEY idx_title (title)
       )`,
    );
    await admin.query(`INSERT INTO \`${db}\`.items (title) VALUES ('first'), ('second')`);
    const desired = await liveSchema(db);
    expect(diffSchemas(desired, desired)).toEqual([]);

    await admin.query(`ALTER TABLE \`${db}\`.items ADD COLUMN note TEXT NULL`);
    await admin.query(`ALTER TABLE \`${db}\`.items MODIFY title VARCHAR(255) NOT NULL`);
    await admin.query(`ALTER TABLE \`${db}\`.items DROP INDEX idx_title`);
    const changes = diffSchemas(desired, await liveSchema(db));
    expect(changes.map(describeChange)).toEqual([
      'items.title: type varchar(128) in schema.yaml, varchar(255) in the database',
      'items.note: column in the database, not in schema.yaml',
      'items: index idx_title (title) missing in the database',
    ]);

    // Without allowDrop the extra column stays (and is still a difference); the rest is fixed.
    const kept = await migrateTo(desired, db);
    expect(kept.run.failed).toBeUndefined();
    expect(kept.skipped).toEqual(['DROP COLUMN items.note: needs --allow-drop']);
    expect(kept.after.map(describeChange)).toEqual([
      'items.note: column in the database, not in schema.yaml',
    ]);

    const dropped = await migrateTo(desired, db, true);
    expect(dropped.run.applied).toEqual(['ALTER TABLE `items`\n  DROP COLUMN `note`']);
    expect(dropped.after).toEqual([]);
    const [rows] = await admin.query(`SELECT title FROM \`${db}\`.items ORDER BY id`);
    expect(rows).toEqual([{ title: 'first' }, { title: 'second' }]);
  });

  it('adds a column that schema.yaml gained, in its place', async () => {
    const db = await newDatabase();
    await admin.query(`CREATE TABLE \`${db}\`.notes (id INT NOT NULL PRIMARY KEY, body TEXT NULL)`);
    const desired = await liveSchema(db);
    const notes = desired.tables[0];
    notes.fields.splice(1, 0, aField('title', { type: 'string', length: 80, default: 'untitled' }));
    expect(diffSchemas(desired, await liveSchema(db)).map(describeChange)).toEqual([
      'notes.title: column missing in the database',
    ]);
    const result = await migrateTo(desired, db);
    expect(result.run.applied).toEqual([
      "ALTER TABLE `notes`\n  ADD COLUMN `title` varchar(80) NOT NULL DEFAULT 'untitled' AFTER `id`",
    ]);
    expect(result.after).toEqual([]);
    const [columns] = await admin.query(`SHOW COLUMNS FROM \`${db}\`.notes`);
    expect((columns as { Field: string }[]).map((c) => c.Field)).toEqual(['id', 'title', 'body']);
  });

  it("round-trips odd enum values, defaults and comments (O'Brien, backslashes)", async () => {
    const db = await newDatabase();
    const desired = aSchema([
      aTable('people', {
        comment: "Who's who",
        fields: [
          anIdField(),
          aField('surname', {
            type: 'enum',
            values: ["O'Brien", 'back\\slash', 'a,b', 'plain'],
            default: "O'Brien",
            comment: "the family's name \\ maybe",
          }),
          aField('tags', { type: 'set', values: ["it's", 'x'], nullable: true }),
          aField('motto', { type: 'string', length: 60, default: "Don't \\ panic" }),
        ],
      }),
    ]);
    const result = await migrateTo(desired, db);
    expect(result.run.failed).toBeUndefined();
    expect(result.after).toEqual([]);
    const live = (await liveSchema(db)).tables[0];
    expect(live.comment).toBe("Who's who");
    expect(live.fields[1]).toMatchObject({
      values: ["O'Brien", 'back\\slash', 'a,b', 'plain'],
      default: "O'Brien",
      comment: "the family's name \\ maybe",
    });
    expect(live.fields[3].default).toBe("Don't \\ panic");
  });

  it('widens key columns on both sides of a foreign key (dropped and added back around the ALTER)', async () => {
    const db = await newDatabase();
    await admin.query(
      `CREATE TABLE \`${db}\`.parent (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY);
       CREATE TABLE \`${db}\`.child (id INT NOT NULL PRIMARY KEY, parent_id INT UNSIGNED NOT NULL,
         CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE);
       INSERT INTO \`${db}\`.parent VALUES (1); INSERT INTO \`${db}\`.child VALUES (10, 1);`,
    );
    const desired = await liveSchema(db);
    for (const table of desired.tables) {
      table.fields = table.fields.map((f) =>
        (f.name === 'id' && table.name === 'parent') || f.name === 'parent_id' ? { ...f, type: 'bigint' } : f,
      );
    }
    const result = await migrateTo(desired, db);
    expect(result.run.failed).toBeUndefined();
    expect(result.run.applied).toEqual([
      'ALTER TABLE `child` DROP FOREIGN KEY `fk_child_parent`',
      'ALTER TABLE `child`\n  MODIFY COLUMN `parent_id` bigint unsigned NOT NULL',
      'ALTER TABLE `parent`\n  MODIFY COLUMN `id` bigint unsigned NOT NULL AUTO_INCREMENT',
      'ALTER TABLE `child`\n  ADD CONSTRAINT `fk_child_parent` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`) ON DELETE CASCADE ON UPDATE RESTRICT',
    ]);
    expect(result.after).toEqual([]);
  });

  it('drops tables only with allowDrop', async () => {
    const db = await newDatabase();
    await admin.query(
      `CREATE TABLE \`${db}\`.parent (id INT NOT NULL PRIMARY KEY);
       CREATE TABLE \`${db}\`.child (id INT NOT NULL PRIMARY KEY, parent_id INT NOT NULL,
         CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id));
       CREATE VIEW \`${db}\`.child_ids AS SELECT id FROM \`${db}\`.child`,
    );
    const desired = aSchema([]);
    const refused = await migrateTo(desired, db);
    expect(refused.statements).toEqual([]);
    expect(refused.skipped).toEqual([
      'DROP TABLE child: needs --allow-drop',
      'DROP VIEW child_ids: needs --allow-drop',
      'DROP TABLE parent: needs --allow-drop',
    ]);
    expect(refused.after).toHaveLength(3);
    const dropped = await migrateTo(desired, db, true);
    expect(dropped.run.failed).toBeUndefined();
    expect(dropped.after).toEqual([]);
  });

  it('stops at the first failing statement and says what was and was not applied', async () => {
    const db = await newDatabase();
    await admin.query(`CREATE TABLE \`${db}\`.t (id INT NOT NULL PRIMARY KEY, v VARCHAR(10) NULL)`);
    await admin.query(`INSERT INTO \`${db}\`.t VALUES (1, NULL)`);
    const desired = await liveSchema(db);
    // NOT NULL cannot be applied to a column holding NULL in strict mode; the new table after it never runs.
    desired.tables[0].fields[1] = { ...desired.tables[0].fields[1], nullable: false };
    desired.tables.push(aTable('u'));
    const result = await migrateTo(desired, db);
    expect(result.run.applied).toEqual([]);
    expect(result.run.failed?.statement).toBe('ALTER TABLE `t`\n  MODIFY COLUMN `v` varchar(10) NOT NULL');
    expect(result.run.failed?.error).toMatch(/^WARN_DATA_TRUNCATED|^ER_/);
    expect(result.run.notApplied).toEqual([expect.stringMatching(/^CREATE TABLE `u`/)]);
  });

  it('migrates an empty database to the demo schema (prokov), then finds nothing', async () => {
    const source = await newDatabase();
    await admin.query(`USE \`${source}\`; ${readFileSync(PROKOV_SQL, 'utf8')}`);
    const desired = await liveSchema(source);
    expect(desired.tables.map((t) => t.name)).toEqual([
      'projects',
      'statuses',
      'tags',
      'task_tags',
      'tasks',
      'users',
    ]);
    const target = await newDatabase();
    const result = await migrateTo(desired, target);
    expect(result.skipped).toEqual([]);
    expect(result.run.failed).toBeUndefined();
    // Tables are created after the tables they reference.
    expect(result.run.applied.map((s) => /^CREATE TABLE `(\w+)`/.exec(s)?.[1])).toEqual([
      'users',
      'projects',
      'statuses',
      'tags',
      'tasks',
      'task_tags',
    ]);
    expect(result.after).toEqual([]);
  });

  describe('Sakila', () => {
    let sakila: Awaited<ReturnType<typeof loadSakila>>;
    let full: SchemaDef;
    beforeAll(async () => {
      sakila = await loadSakila({ area: 'migrate', data: true });
      full = await liveSchema(sakila.database);
    }, 60_000);
    afterAll(async () => {
      await sakila.drop();
    });

    it('brings Sakila minus two tables back to Sakila', async () => {
      await admin.query(`DROP TABLE \`${sakila.database}\`.payment, \`${sakila.database}\`.film_text`);
      expect(diffSchemas(full, await liveSchema(sakila.database)).map(describeChange)).toEqual([
        'film_text: table missing in the database',
        'payment: table missing in the database',
        // The two sales views read payment: without it MariaDB lists none of their columns.
        'sales_by_film_category.category: column missing in the database',
        'sales_by_film_category.total_sales: column missing in the database',
        'sales_by_store.store: column missing in the database',
        'sales_by_store.manager: column missing in the database',
        'sales_by_store.total_sales: column missing in the database',
      ]);
      const result = await migrateTo(full, sakila.database);
      expect(result.skipped).toHaveLength(5);
      expect(result.skipped[0]).toBe(
        "sales_by_film_category.category: a view's columns come from its SQL, which migrate does not change",
      );
      expect(result.run.failed).toBeUndefined();
      expect(result.run.applied).toHaveLength(2);
      expect(result.after).toEqual([]);
    }, 60_000);

    it('builds Sakila from nothing: every table, foreign keys across the store/staff cycle; views skipped', async () => {
      const db = await newDatabase();
      const result = await migrateTo(full, db);
      expect(result.run.failed).toBeUndefined();
      const views = full.tables.filter((t) => t.view).map((t) => t.name);
      expect(views).toHaveLength(7);
      expect(result.skipped).toEqual(
        views.map((name) => `CREATE VIEW ${name}: schema.yaml holds no view SQL; create it by hand`),
      );
      expect(result.after).toEqual(views.map((table) => ({ kind: 'table_missing', table, view: true })));
    }, 60_000);
  });
});
