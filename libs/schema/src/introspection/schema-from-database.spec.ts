import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSchemaYaml } from '../model/schema-yaml.parser.js';
import { writeSchemaYaml } from '../model/schema-yaml.writer.js';
import type { FieldDef, TableDef } from '../schema.types.js';
import { TEST_MARIADB } from '../testing/sakila-loader.js';
import { aField } from '../testing/schema.factory.js';
import { readDatabase, type RawDatabase } from './information-schema.reader.js';
import { schemaFromDatabase } from './schema-from-database.js';

const database = `sogoms_test_scan_${randomBytes(4).toString('hex')}`;
let connection: mysql.Connection;

const read = (): Promise<RawDatabase> =>
  readDatabase(
    async (sql, params) => (await connection.query(sql, params))[0] as Record<string, unknown>[],
    database,
  );

const field = (name: string, overrides: Partial<FieldDef>): FieldDef => aField(name, overrides);

const EVERY_TYPE = `CREATE TABLE every_type (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT COMMENT 'the key',
  i INT NOT NULL,
  ti TINYINT NOT NULL DEFAULT -3,
  si SMALLINT UNSIGNED NULL,
  mi MEDIUMINT NULL,
  flag TINYINT(1) NOT NULL DEFAULT 1,
  flag_bit BIT(1) NULL,
  price DECIMAL(10,3) NOT NULL DEFAULT 1.500,
  whole DECIMAL(8,0) NULL,
  ratio FLOAT NULL,
  dbl DOUBLE NOT NULL DEFAULT 0,
  name VARCHAR(20) NOT NULL DEFAULT 'it''s, ok',
  code CHAR(3) NULL,
  body TEXT NULL,
  tiny TINYTEXT NULL,
  medium MEDIUMTEXT NULL,
  long_text LONGTEXT NULL,
  born DATE NULL DEFAULT '2020-01-01',
  seen DATETIME NULL,
  touched TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  at_time TIME NULL,
  yr YEAR NULL,
  rating ENUM('a','b,c','d''e','back\\\\slash','') NULL DEFAULT 'b,c',
  tags SET('x','y z') NOT NULL DEFAULT 'x,y z',
  doc JSON NULL,
  blob_data BLOB NULL,
  medium_blob MEDIUMBLOB NULL,
  token VARBINARY(16) NULL,
  hash BINARY(4) NULL,
  shape GEOMETRY NULL,
  spot POINT NOT NULL,
  route LINESTRING NULL,
  uid UUID NULL,
  doubled INT AS (i * 2) VIRTUAL,
  big_default BIGINT NOT NULL DEFAULT 9007199254740993,
  today DATE NOT NULL DEFAULT (curdate()),
  PRIMARY KEY (id),
  UNIQUE KEY code (code),
  UNIQUE KEY uq_token (token),
  UNIQUE KEY uq_name_born (name, born),
  KEY idx_i (i),
  FULLTEXT KEY ft_body (body, tiny),
  SPATIAL KEY sp_spot (spot)
) COMMENT 'every type'`;

const OTHER_TABLES = [
  `CREATE TABLE users (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(190) NOT NULL UNIQUE,
    password_hash VARCHAR(100) NOT NULL,
    name VARCHAR(100) NULL
  )`,
  `CREATE TABLE accounts (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    login VARCHAR(50) NOT NULL,
    passwd VARCHAR(100) NOT NULL
  )`,
  `CREATE TABLE tasks (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id INT UNSIGNED NOT NULL,
    title VARCHAR(200) NOT NULL,
    CONSTRAINT fk_tasks_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
  )`,
  // user_id without a foreign key to users: no owner filter.
  `CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, user_id INT UNSIGNED NOT NULL)`,
  `CREATE TABLE log_lines (at DATETIME NOT NULL, line TEXT NOT NULL)`,
  `CREATE TABLE pairs (
    a INT NOT NULL, b INT NOT NULL, c INT NULL,
    PRIMARY KEY (b, a),
    CONSTRAINT fk_pairs_pair FOREIGN KEY (c, a) REFERENCES pairs (b, a)
  )`,
  'CREATE TABLE `odd name` (id INT PRIMARY KEY)',
  `CREATE TABLE stamps (
    id INT NOT NULL PRIMARY KEY,
    at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    t TIME(6) NULL
  )`,
  'CREATE VIEW open_tasks AS SELECT id, title, title AS `the title` FROM tasks',
];

describe('schemaFromDatabase (real MariaDB)', () => {
  beforeAll(async () => {
    connection = await mysql.createConnection(TEST_MARIADB);
    await connection.query(`CREATE DATABASE \`${database}\``);
    await connection.query(`USE \`${database}\``);
    for (const sql of [EVERY_TYPE, ...OTHER_TABLES]) await connection.query(sql);
  });
  afterAll(async () => {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await connection.end();
  });

  const tableOf = (tables: TableDef[], name: string): TableDef => {
    const table = tables.find((t) => t.name === name);
    if (!table) throw new Error(`no table ${name}`);
    return table;
  };

  it('maps every type and variant as docs/schema.md says', async () => {
    const { schema } = schemaFromDatabase(await read());
    const table = tableOf(schema.tables, 'every_type');
    expect(table.comment).toBe('every type');
    expect(table.primary).toEqual(['id']);
    expect(table.crud).toEqual(['list', 'read', 'create', 'update', 'delete']);
    expect(table.fields).toEqual([
      field('id', { type: 'bigint', unsigned: true, primary: true, auto: true, comment: 'the key' }),
      field('i', { required: true }),
      field('ti', { dbType: 'tinyint', default: -3 }),
      field('si', { dbType: 'smallint', unsigned: true, nullable: true }),
      field('mi', { dbType: 'mediumint', nullable: true }),
      field('flag', { type: 'bool', default: true }),
      field('flag_bit', { type: 'bool', dbType: 'bit', nullable: true }),
      field('price', { type: 'decimal', precision: 10, scale: 3, default: '1.500' }),
      field('whole', { type: 'decimal', precision: 8, scale: 0, nullable: true }),
      field('ratio', { type: 'float', nullable: true }),
      field('dbl', { type: 'float', dbType: 'double', default: 0 }),
      field('name', { type: 'string', length: 20, default: "it's, ok" }),
      field('code', { type: 'string', dbType: 'char', length: 3, nullable: true, unique: true }),
      field('body', { type: 'text', nullable: true }),
      field('tiny', { type: 'text', dbType: 'tinytext', nullable: true }),
      field('medium', { type: 'text', dbType: 'mediumtext', nullable: true }),
      field('long_text', { type: 'text', dbType: 'longtext', nullable: true }),
      field('born', { type: 'date', nullable: true, default: '2020-01-01' }),
      field('seen', { type: 'datetime', nullable: true }),
      field('touched', {
        type: 'datetime',
        dbType: 'timestamp',
        default: { sql: 'current_timestamp()' },
        onUpdate: { sql: 'current_timestamp()' },
      }),
      field('at_time', { type: 'time', nullable: true }),
      field('yr', { type: 'year', nullable: true }),
      field('rating', {
        type: 'enum',
        values: ['a', 'b,c', "d'e", 'back\\slash', ''],
        nullable: true,
        default: 'b,c',
      }),
      field('tags', { type: 'set', values: ['x', 'y z'], default: 'x,y z' }),
      field('doc', { type: 'json', nullable: true }),
      field('blob_data', { type: 'binary', nullable: true }),
      field('medium_blob', { type: 'binary', dbType: 'mediumblob', nullable: true }),
      field('token', { type: 'binary', dbType: 'varbinary', length: 16, nullable: true, unique: true }),
      field('hash', { type: 'binary', dbType: 'binary', length: 4, nullable: true }),
      field('shape', { type: 'geometry', nullable: true }),
      field('spot', { type: 'geometry', dbType: 'point', required: true }),
      field('route', { type: 'geometry', dbType: 'linestring', nullable: true }),
      field('uid', { type: 'string', dbType: 'uuid', nullable: true }),
      field('doubled', { nullable: true, readonly: true }),
      field('big_default', { type: 'bigint', default: '9007199254740993' }),
      field('today', { type: 'date', default: { sql: 'curdate()' } }),
    ]);
    // `code` is named after its column: unique: true says it all; uq_token keeps its name.
    expect(table.indexes).toEqual([
      { name: 'ft_body', fields: ['body', 'tiny'], unique: false, kind: 'fulltext' },
      { name: 'idx_i', fields: ['i'], unique: false },
      { name: 'sp_spot', fields: ['spot'], unique: false, kind: 'spatial' },
      { name: 'uq_name_born', fields: ['name', 'born'], unique: true },
      { name: 'uq_token', fields: ['token'], unique: true },
    ]);
  });

  it('round-trips: database → model → YAML → model gives the same model, with no findings', async () => {
    const { schema } = schemaFromDatabase(await read());
    const yaml = writeSchemaYaml(schema);
    const parsed = parseSchemaYaml(yaml, 'schema.yaml');
    expect(parsed.schema).toEqual(schema);
    expect(parsed.findings).toEqual([]);
  });

  it('keeps fractional seconds of datetime/time as precision', async () => {
    const { schema } = schemaFromDatabase(await read());
    expect(tableOf(schema.tables, 'stamps').fields).toEqual([
      field('id', { primary: true, required: true }),
      field('at', {
        type: 'datetime',
        precision: 3,
        default: { sql: 'current_timestamp(3)' },
        onUpdate: { sql: 'current_timestamp(3)' },
      }),
      field('t', { type: 'time', precision: 6, nullable: true }),
    ]);
  });

  it('marks the users table auth fields and owner-filters tables whose user_id references it', async () => {
    const { schema } = schemaFromDatabase(await read());
    const users = tableOf(schema.tables, 'users');
    expect(users.fields.find((f) => f.name === 'email')).toMatchObject({
      auth: 'login',
      unique: true,
      hidden: false,
    });
    expect(users.fields.find((f) => f.name === 'password_hash')).toMatchObject({
      auth: 'password',
      hidden: true,
    });
    expect(tableOf(schema.tables, 'tasks').filter).toBe('owner');
    expect(tableOf(schema.tables, 'tasks').fields[1].foreign).toEqual({
      table: 'users',
      field: 'id',
      name: 'fk_tasks_user',
      onDelete: 'cascade',
      onUpdate: 'restrict',
    });
    expect(tableOf(schema.tables, 'notes').filter).toBeUndefined();
    expect(tableOf(schema.tables, 'accounts').fields.some((f) => f.auth !== undefined)).toBe(false);
  });

  it('takes options.authTable as the users table', async () => {
    const { schema, notes } = schemaFromDatabase(await read(), { authTable: 'accounts' });
    const accounts = tableOf(schema.tables, 'accounts');
    expect(accounts.fields.map((f) => [f.name, f.auth ?? null, f.hidden])).toEqual([
      ['id', null, false],
      ['login', 'login', false],
      ['passwd', 'password', true],
    ]);
    expect(tableOf(schema.tables, 'users').fields.some((f) => f.auth !== undefined)).toBe(false);
    // tasks.user_id references users, not the users table named here.
    expect(tableOf(schema.tables, 'tasks').filter).toBeUndefined();
    expect(schemaFromDatabase(await read(), { authTable: 'nope' }).notes).toContain(
      'auth table nope not found among the tables: no auth fields marked',
    );
    expect(notes).not.toContain('auth table accounts not found among the tables: no auth fields marked');
  });

  it('keeps tables without a key list-only, composite keys in key order, views read-only, and says what it left out', async () => {
    const { schema, notes } = schemaFromDatabase(await read());
    const logLines = tableOf(schema.tables, 'log_lines');
    expect(logLines.primary).toEqual([]);
    expect(logLines.crud).toEqual(['list']);
    const pairs = tableOf(schema.tables, 'pairs');
    expect(pairs.primary).toEqual(['b', 'a']);
    expect(pairs.fields.map((f) => [f.name, f.primary])).toEqual([
      ['a', true],
      ['b', true],
      ['c', false],
    ]);
    expect(pairs.fields.some((f) => f.foreign !== undefined)).toBe(false);
    const view = tableOf(schema.tables, 'open_tasks');
    expect(view.view).toBe(true);
    expect(view.crud).toEqual(['list']);
    expect(view.fields.map((f) => f.name)).toEqual(['id', 'title']);
    expect(schema.tables.map((t) => t.name)).toEqual([
      'accounts',
      'every_type',
      'log_lines',
      'notes',
      'open_tasks',
      'pairs',
      'stamps',
      'tasks',
      'users',
    ]);
    expect(notes).toEqual(
      expect.arrayContaining([
        'table `odd name`: the name is not a safe identifier (^[A-Za-z_][A-Za-z0-9_]{0,63}$); left out',
        'table log_lines: no primary key; served list-only',
        'table pairs: foreign key fk_pairs_pair has 2 columns; only single-column foreign keys are kept',
        'view open_tasks: column `the title` is not a safe identifier; left out',
        'table every_type.doubled: a generated column; marked readonly',
      ]),
    );
  });

  it("leaves out the services' own tables (mail queue, push outbox, idempotency keys)", async () => {
    const raw = await read();
    const users = raw.tables.find((t) => t.name === 'log_lines')!;
    raw.tables.push(
      { ...users, name: 'sogoms_push_outbox' },
      { ...users, name: 'sogoms_mail_queue' },
      { ...users, name: 'sogoms_idempotency' },
      { ...users, name: 'sogoms_mail_inbox' },
      { ...users, name: 'sogoms_cron_runs' },
    );
    const { schema, notes } = schemaFromDatabase(raw);
    expect(schema.tables.map((t) => t.name)).not.toContain('sogoms_push_outbox');
    expect(schema.tables.map((t) => t.name)).not.toContain('sogoms_mail_queue');
    expect(schema.tables.map((t) => t.name)).not.toContain('sogoms_idempotency');
    expect(schema.tables.map((t) => t.name)).not.toContain('sogoms_mail_inbox');
    expect(schema.tables.map((t) => t.name)).not.toContain('sogoms_cron_runs');
    expect(notes).toContain('table sogoms_push_outbox: kept by a SOGOMS service, not served; left out');
  });

  it('gives the same model for the same database', async () => {
    const first = schemaFromDatabase(await read());
    const second = schemaFromDatabase(await read());
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });
});
