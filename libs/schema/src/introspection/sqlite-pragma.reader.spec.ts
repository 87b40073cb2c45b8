import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSchemaYaml } from '../model/schema-yaml.parser.js';
import { writeSchemaYaml } from '../model/schema-yaml.writer.js';
import type { FieldDef, SchemaDef, TableDef } from '../schema.types.js';
import { TEST_MARIADB } from '../testing/sakila-loader.js';
import { aField } from '../testing/schema.factory.js';
import { readDatabase } from './information-schema.reader.js';
import type { RawDatabase } from './raw-database.types.js';
import { schemaFromDatabase } from './schema-from-database.js';
import { readSqliteDatabase } from './sqlite-pragma.reader.js';

const TEAM_SQL = `
CREATE TABLE people (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email VARCHAR(120) NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  -- a self-reference
  manager_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
  nick NVARCHAR(40),
  score NUMBER(8,2) DEFAULT 0,
  ratio DOUBLE PRECISION,
  payload,
  counter UNSIGNED BIG INT NOT NULL DEFAULT 0,
  active BOOLEAN NOT NULL DEFAULT TRUE,
  kind TEXT NOT NULL DEFAULT 'staff' CHECK (kind IN ('staff', 'it''s')),
  born DATE,
  seen DATETIME DEFAULT CURRENT_TIMESTAMP,
  photo BLOB,
  doubled INTEGER GENERATED ALWAYS AS (counter * 2) VIRTUAL,
  CHECK (counter >= 0)
);
CREATE INDEX idx_people_manager ON people (manager_id, nick);
CREATE TABLE memberships (
  person_id INTEGER NOT NULL,
  team TEXT NOT NULL,
  role STRING,
  PRIMARY KEY (person_id, team),
  CONSTRAINT fk_memberships_person FOREIGN KEY (person_id) REFERENCES people ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE grants (
  person_id INTEGER NOT NULL,
  team TEXT NOT NULL,
  what TEXT NOT NULL,
  PRIMARY KEY (person_id, team, what),
  FOREIGN KEY (person_id, team) REFERENCES memberships (person_id, team)
);
CREATE VIEW managers AS SELECT id, email FROM people WHERE manager_id IS NULL;
`;

const dir = mkdtempSync(join(tmpdir(), 'sogoms-sqlite-reader-'));
const file = join(dir, 'team.db');

/** The file read as the CLI reads it: a read-only better-sqlite3 connection. */
const readFile = async (path: string, name: string): Promise<RawDatabase> => {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return await readSqliteDatabase(
      (sql, params) => Promise.resolve(db.prepare(sql).all(...params) as Record<string, unknown>[]),
      name,
    );
  } finally {
    db.close();
  }
};

const tableOf = (schema: SchemaDef, name: string): TableDef => {
  const table = schema.tables.find((t) => t.name === name);
  if (!table) throw new Error(`no table ${name}`);
  return table;
};

const field = (name: string, overrides: Partial<FieldDef>): FieldDef => aField(name, overrides);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readSqliteDatabase (a real SQLite file)', () => {
  beforeAll(() => {
    const db = new Database(file);
    db.exec(TEAM_SQL);
    db.close();
  });

  it('reads tables, a view, WITHOUT ROWID, composite keys and declared types into the raw shape', async () => {
    const raw = await readFile(file, 'team');
    expect(raw.database).toBe('team');
    expect(raw.engine).toBe('sqlite');
    expect(raw.tables.map((t) => [t.name, t.tableType, t.engine])).toEqual([
      ['grants', 'BASE TABLE', 'rowid'],
      ['managers', 'VIEW', null],
      ['memberships', 'BASE TABLE', 'without rowid'],
      ['people', 'BASE TABLE', 'rowid'],
    ]);
    const memberships = raw.tables.find((t) => t.name === 'memberships')!;
    const column = (name: string, position: number, type: string, nullable: boolean) => ({
      name,
      position,
      dataType: type,
      columnType: type,
      nullable,
      default: null,
      extra: '',
      comment: '',
      maxLength: null,
      numericPrecision: null,
      numericScale: null,
      datetimePrecision: null,
      charset: null,
      collation: null,
      generation: null,
    });
    expect(memberships).toEqual({
      name: 'memberships',
      tableType: 'BASE TABLE',
      engine: 'without rowid',
      comment: '',
      // A WITHOUT ROWID table's key columns are NOT NULL whatever was declared.
      columns: [
        column('person_id', 1, 'integer', false),
        column('team', 2, 'text', false),
        column('role', 3, 'string', true),
      ],
      indexes: [
        {
          name: 'PRIMARY',
          unique: true,
          indexType: 'BTREE',
          columns: [
            { name: 'person_id', subPart: null },
            { name: 'team', subPart: null },
          ],
        },
      ],
      // `REFERENCES people` without columns: people's key.
      foreignKeys: [
        {
          name: 'fk_memberships_person',
          columns: ['person_id'],
          referencedDatabase: 'team',
          referencedTable: 'people',
          referencedColumns: ['id'],
          onDelete: 'CASCADE',
          onUpdate: 'NO ACTION',
        },
      ],
      checks: [],
    });
    const grants = raw.tables.find((t) => t.name === 'grants')!;
    expect(grants.foreignKeys).toEqual([
      {
        name: 'fk_grants_person_id_team',
        columns: ['person_id', 'team'],
        referencedDatabase: 'team',
        referencedTable: 'memberships',
        referencedColumns: ['person_id', 'team'],
        onDelete: 'NO ACTION',
        onUpdate: 'NO ACTION',
      },
    ]);
    const people = raw.tables.find((t) => t.name === 'people')!;
    expect(people.checks).toEqual([
      { name: 'CONSTRAINT_1', clause: 'counter >= 0' },
      { name: 'kind', clause: "kind IN ('staff', 'it''s')" },
    ]);
    expect(people.columns.find((c) => c.name === 'id')).toMatchObject({
      dataType: 'integer',
      nullable: false,
      extra: 'auto_increment',
    });
    expect(people.columns.find((c) => c.name === 'score')).toMatchObject({
      dataType: 'number',
      columnType: 'number(8,2)',
      numericPrecision: 8,
      numericScale: 2,
      default: '0',
    });
    expect(people.columns.find((c) => c.name === 'active')?.default).toBe('1');
    expect(people.columns.find((c) => c.name === 'doubled')?.extra).toBe('virtual generated');
    expect(people.indexes.map((i) => [i.name, i.unique, i.columns.map((c) => c.name)])).toEqual([
      ['PRIMARY', true, ['id']],
      // A column's UNIQUE is named after the column, as MariaDB names it.
      ['email', true, ['email']],
      ['idx_people_manager', false, ['manager_id', 'nick']],
    ]);
  });

  it('maps the declared types as on MariaDB, loose ones by affinity, keeping the name as db_type', async () => {
    const { schema, notes } = schemaFromDatabase(await readFile(file, 'team'));
    const people = tableOf(schema, 'people');
    expect(people.fields).toEqual([
      field('id', { primary: true, auto: true }),
      field('email', { type: 'string', length: 120, unique: true, required: true }),
      field('password_hash', { type: 'text', required: true }),
      field('manager_id', {
        nullable: true,
        foreign: {
          table: 'people',
          field: 'id',
          name: 'fk_people_manager_id',
          onDelete: 'set_null',
          onUpdate: 'no_action',
        },
      }),
      field('nick', { type: 'string', dbType: 'nvarchar', length: 40, nullable: true }),
      field('score', {
        type: 'decimal',
        dbType: 'number',
        precision: 8,
        scale: 2,
        nullable: true,
        default: '0',
      }),
      field('ratio', { type: 'float', dbType: 'double_precision', nullable: true }),
      field('payload', { type: 'text', nullable: true }),
      field('counter', { type: 'int', dbType: 'big_int', unsigned: true, default: 0 }),
      field('active', { type: 'bool', dbType: 'boolean', default: true }),
      field('kind', { type: 'enum', values: ['staff', "it's"], default: 'staff' }),
      field('born', { type: 'date', nullable: true }),
      field('seen', { type: 'datetime', nullable: true, default: { sql: 'CURRENT_TIMESTAMP' } }),
      field('photo', { type: 'binary', nullable: true }),
      field('doubled', { nullable: true, readonly: true }),
    ]);
    expect(people.indexes).toEqual([
      { name: 'idx_people_manager', fields: ['manager_id', 'nick'], unique: false },
    ]);
    expect(people.relations.map((r) => [r.name, r.type, r.table])).toContainEqual([
      'manager',
      'belongs_to',
      'people',
    ]);
    expect(tableOf(schema, 'memberships').primary).toEqual(['person_id', 'team']);
    expect(tableOf(schema, 'memberships').fields[2]).toEqual(
      field('role', { type: 'float', dbType: 'string', nullable: true }),
    );
    expect(tableOf(schema, 'grants').primary).toEqual(['person_id', 'team', 'what']);
    const view = tableOf(schema, 'managers');
    expect(view.view).toBe(true);
    expect(view.crud).toEqual(['list']);
    expect(notes).toEqual([
      'table grants: foreign key fk_grants_person_id_team has 2 columns; only single-column foreign keys are kept',
      'table memberships.role: type string has NUMERIC affinity: served as a float',
      'table people.payload: no declared type (any value): served as text',
      'table people.doubled: a generated column; marked readonly',
    ]);
  });

  it('round-trips through schema.yaml with no findings', async () => {
    const { schema } = schemaFromDatabase(await readFile(file, 'team'));
    const parsed = parseSchemaYaml(writeSchemaYaml(schema), 'schema.yaml');
    expect(parsed.findings).toEqual([]);
    expect(parsed.schema).toEqual(schema);
  });
});

/** What the API serves of a column: the same from both engines (db_type and unsigned aside). */
const apiFacts = (schema: SchemaDef) =>
  schema.tables.map((table) => ({
    table: table.name,
    primary: table.primary,
    fields: table.fields.map((f) => ({
      name: f.name,
      type: f.type,
      values: f.values,
      length: f.length,
      precision: f.precision,
      scale: f.scale,
      nullable: f.nullable,
      required: f.required,
      auto: f.auto,
      unique: f.unique,
      auth: f.auth,
      foreign: f.foreign && { table: f.foreign.table, field: f.foreign.field, onDelete: f.foreign.onDelete },
    })),
    indexes: table.indexes.map((index) => index.fields),
    relations: table.relations.map((relation) => relation.name),
    filter: table.filter,
  }));

describe("the demo's two schemas (SQLite file and real MariaDB) give one model", () => {
  const database = `sogoms_test_sqlite_${randomBytes(4).toString('hex')}`;
  const demoFile = join(dir, 'prokov.db');
  let connection: mysql.Connection;

  beforeAll(async () => {
    const db = new Database(demoFile);
    db.exec(readFileSync('config/apps/prokov/sql/sqlite/schema.sql', 'utf8'));
    db.close();
    connection = await mysql.createConnection({ ...TEST_MARIADB, multipleStatements: true });
    await connection.query(`CREATE DATABASE \`${database}\``);
    await connection.query(`USE \`${database}\``);
    await connection.query(readFileSync('config/apps/prokov/sql/schema.sql', 'utf8'));
  });
  afterAll(async () => {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await connection.end();
  });

  it('every column has the same API type, key, index and relation on both engines', async () => {
    const fromSqlite = schemaFromDatabase(await readFile(demoFile, 'prokov'));
    const fromMariadb = schemaFromDatabase(
      await readDatabase(
        async (sql, params) => (await connection.query(sql, params))[0] as Record<string, unknown>[],
        database,
      ),
    );
    expect(apiFacts(fromSqlite.schema)).toEqual(apiFacts(fromMariadb.schema));
    expect(fromSqlite.notes).toEqual([]);
  });
});
