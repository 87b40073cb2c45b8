import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { diffSchemas } from '../diff/schema-diff.js';
import { schemaFromDatabase } from '../introspection/schema-from-database.js';
import { readSqliteDatabase } from '../introspection/sqlite-pragma.reader.js';
import { parseSchemaYaml } from '../model/schema-yaml.parser.js';
import type { SchemaDef } from '../schema.types.js';
import { migrationFor } from './ddl-builder.js';
import { applyMigration } from './migration-runner.js';
import { SQLITE_REBUILD } from './sqlite-ddl-builder.js';

const BASE = `version: 1
tables:
  users:
    fields:
      id: { type: int, unsigned: true, primary: true, auto: true }
      email: { type: string, length: 190, unique: true, required: true }
      role: { type: enum, values: [default, admin], default: default }
      created_at: { type: datetime, default: { sql: current_timestamp() } }
  notes:
    fields:
      id: { type: int, primary: true, auto: true }
      user_id: { type: int, unsigned: true, required: true, foreign: { table: users, field: id, on_delete: cascade } }
      parent_id: { type: int, nullable: true, foreign: { table: notes, field: id, on_delete: set_null } }
      body: { type: text, nullable: true }
      done: { type: bool, default: false }
      price: { type: decimal, precision: 8, scale: 2, default: '0.00' }
    indexes:
      idx_notes_user: { fields: [user_id, done] }
  note_tags:
    primary: [note_id, tag]
    fields:
      note_id: { type: int, required: true, foreign: { table: notes, field: id, on_delete: cascade } }
      tag: { type: string, length: 30, required: true }
`;

const schemaOf = (yaml: string): SchemaDef => {
  const { schema, findings } = parseSchemaYaml(yaml, 'schema.yaml');
  expect(findings).toEqual([]);
  return schema!;
};

const dir = mkdtempSync(join(tmpdir(), 'sogoms-sqlite-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('schema migrate on SQLite (a real file)', () => {
  let db: Database.Database;
  let n = 0;
  beforeEach(() => {
    n += 1;
    db = new Database(join(dir, `m${n}.db`));
    db.pragma('foreign_keys = ON');
    return () => db.close();
  });

  const live = async (): Promise<SchemaDef> =>
    schemaFromDatabase(
      await readSqliteDatabase(
        (sql, params) => Promise.resolve(db.prepare(sql).all(...params) as Record<string, unknown>[]),
        'm',
      ),
    ).schema;
  const changesTo = async (desired: SchemaDef) => diffSchemas(desired, await live(), { engine: 'sqlite' });
  const migrate = async (desired: SchemaDef, allowDrop = false) => {
    const migration = migrationFor(await changesTo(desired), desired, { allowDrop, engine: 'sqlite' });
    const run = await applyMigration(migration.statements, (sql) => Promise.resolve(db.exec(sql)), 'sqlite');
    expect(run.failed).toBeUndefined();
    return migration;
  };

  it('creates every table (rowid keys, composite key, enums as CHECK, foreign keys inline) and reads them back equal', async () => {
    const desired = schemaOf(BASE);
    const migration = await migrate(desired);
    expect(migration.skipped).toEqual([]);
    expect(migration.statements[0]).toBe(
      [
        'CREATE TABLE `users` (',
        '  `id` INTEGER PRIMARY KEY AUTOINCREMENT,',
        '  `email` varchar(190) NOT NULL,',
        "  `role` varchar(7) NOT NULL DEFAULT 'default' CHECK (`role` IN ('default', 'admin')),",
        '  `created_at` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,',
        '  CONSTRAINT `email` UNIQUE (`email`)',
        ')',
      ].join('\n'),
    );
    expect(migration.statements).toContain(
      'CREATE INDEX `notes__idx_notes_user` ON `notes` (`user_id`, `done`)',
    );
    expect(await changesTo(desired)).toEqual([]);
    // The CHECK is SQLite's enum: a value outside it is refused.
    expect(() => db.exec("INSERT INTO users (email, role) VALUES ('a@b.c', 'boss')")).toThrow(/CHECK/);
  });

  it('adds columns (one with a foreign key), indexes, and drops what --allow-drop allows', async () => {
    await migrate(schemaOf(BASE));
    const next = schemaOf(
      BASE.replace(
        '      body: { type: text, nullable: true }\n',
        '      body: { type: text, nullable: true }\n' +
          '      owner_id: { type: int, nullable: true, foreign: { table: users, field: id, on_delete: set_null } }\n' +
          "      color: { type: string, length: 7, default: '#fff' }\n",
      )
        .replace(
          '      idx_notes_user: { fields: [user_id, done] }\n',
          '      idx_notes_color: { fields: [color] }\n',
        )
        .replace(/ {2}note_tags:[\s\S]*$/, ''),
    );
    const migration = await migrate(next, true);
    expect(migration.skipped).toEqual([]);
    expect(migration.statements).toEqual([
      'DROP INDEX IF EXISTS `notes__idx_notes_user`',
      'PRAGMA foreign_keys = OFF',
      'DROP TABLE `note_tags`',
      'PRAGMA foreign_keys = ON',
      'ALTER TABLE `notes` ADD COLUMN `owner_id` int NULL DEFAULT NULL REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE RESTRICT',
      "ALTER TABLE `notes` ADD COLUMN `color` varchar(7) NOT NULL DEFAULT '#fff'",
      'CREATE INDEX `notes__idx_notes_color` ON `notes` (`color`)',
    ]);
    expect(await changesTo(next)).toEqual([]);

    const fewer = schemaOf(BASE.replace('      body: { type: text, nullable: true }\n', ''));
    const dropped = migrationFor(await changesTo(fewer), fewer, { allowDrop: false, engine: 'sqlite' });
    expect(dropped.skipped).toContain('DROP COLUMN notes.body: needs --allow-drop');
  });

  it("refuses what SQLite's ALTER TABLE cannot do, naming table.column, the change and the rebuild", async () => {
    await migrate(schemaOf(BASE));
    const changed = schemaOf(
      BASE.replace('body: { type: text, nullable: true }', 'body: { type: text, required: true }')
        .replace(
          "price: { type: decimal, precision: 8, scale: 2, default: '0.00' }",
          'price: { type: float }',
        )
        .replace(
          'tag: { type: string, length: 30, required: true }',
          'tag: { type: string, length: 30, required: true, foreign: { table: users, field: email } }',
        )
        .replace('primary: [note_id, tag]', 'primary: [note_id]')
        .replace(
          '      done: { type: bool, default: false }\n',
          '      done: { type: bool, default: false }\n      due: { type: date, required: true }\n',
        ),
    );
    const migration = migrationFor(await changesTo(changed), changed, { allowDrop: false, engine: 'sqlite' });
    expect(migration.statements).toEqual([]);
    expect(migration.skipped).toEqual([
      `changing notes.body's nullable from NULL to NOT NULL: ${SQLITE_REBUILD}`,
      `adding notes.due NOT NULL without a default: give it a default, or ${SQLITE_REBUILD}`,
      `changing notes.price's type from decimal(8,2) to float: ${SQLITE_REBUILD}`,
      `changing notes.price's default from 0 to none: ${SQLITE_REBUILD}`,
      `changing note_tags's primary key from (note_id, tag) to (note_id): ${SQLITE_REBUILD}`,
      `adding a foreign key to note_tags.tag: ${SQLITE_REBUILD}`,
    ]);
    expect(SQLITE_REBUILD).toContain('https://sqlite.org/lang_altertable.html#otheralter');
  });
});
