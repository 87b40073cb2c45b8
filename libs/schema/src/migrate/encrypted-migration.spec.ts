import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeChange } from '../diff/change-description.js';
import { diffSchemas } from '../diff/schema-diff.js';
import { readDatabase } from '../introspection/information-schema.reader.js';
import { schemaFromDatabase } from '../introspection/schema-from-database.js';
import { readSqliteDatabase } from '../introspection/sqlite-pragma.reader.js';
import type { RawDatabase } from '../introspection/raw-database.types.js';
import { parseSchemaYaml } from '../model/schema-yaml.parser.js';
import { scanSchema } from '../scan.js';
import type { SchemaDef } from '../schema.types.js';
import { TEST_MARIADB } from '../testing/sakila-loader.js';
import { migrationFor } from './ddl-builder.js';
import { applyMigration } from './migration-runner.js';

const PLAIN = `version: 1
tables:
  users:
    fields:
      id: { type: int, unsigned: true, primary: true, auto: true }
      email: { type: string, length: 190, unique: true, required: true }
      phone: { type: string, length: 30, nullable: true }
      notes: { type: text, nullable: true }
`;
const ENCRYPTED = PLAIN.replace(
  'email: { type: string, length: 190, unique: true, required: true }',
  'email: { type: string, length: 190, unique: true, required: true, encrypted: true, searchable: true }',
)
  .replace(
    'phone: { type: string, length: 30, nullable: true }',
    'phone: { type: string, length: 30, nullable: true, encrypted: true, searchable: true }',
  )
  .replace('notes: { type: text, nullable: true }', 'notes: { type: text, nullable: true, encrypted: true }');

const schemaOf = (yaml: string): SchemaDef => {
  const { schema, findings } = parseSchemaYaml(yaml, 'schema.yaml');
  expect(findings).toEqual([]);
  return schema!;
};

interface Engine {
  name: 'mariadb' | 'sqlite';
  raw(): Promise<RawDatabase>;
  run(sql: string): Promise<unknown>;
  close(): Promise<void>;
}

const mariadb = async (): Promise<Engine> => {
  const name = `sogoms_test_crypt_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection({ ...TEST_MARIADB, multipleStatements: true });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  const conn = await mysql.createConnection({ ...TEST_MARIADB, database: name, multipleStatements: true });
  return {
    name: 'mariadb',
    raw: () =>
      readDatabase(
        async (sql, params) => (await conn.query(sql, params))[0] as Record<string, unknown>[],
        name,
      ),
    run: (sql) => conn.query(sql),
    close: async () => {
      await conn.end();
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
};

const dir = mkdtempSync(join(tmpdir(), 'sogoms-crypt-migrate-'));
const sqlite = (): Promise<Engine> => {
  const db = new Database(join(dir, `${randomBytes(4).toString('hex')}.db`));
  return Promise.resolve({
    name: 'sqlite',
    raw: () =>
      readSqliteDatabase(
        (sql, params) => Promise.resolve(db.prepare(sql).all(...params) as Record<string, unknown>[]),
        'm',
      ),
    run: (sql) => Promise.resolve(db.exec(sql)),
    close: () => {
      db.close();
      return Promise.resolve();
    },
  });
};

describe.each([
  ['mariadb', mariadb],
  ['sqlite', sqlite],
])('an encrypted field in schema migrate and scan on %s (a real database)', (_name, open) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await open();
  });
  afterAll(async () => {
    await engine.close();
    if (_name === 'sqlite') rmSync(dir, { recursive: true, force: true });
  });

  const live = async (): Promise<SchemaDef> => schemaFromDatabase(await engine.raw()).schema;
  const migrate = async (desired: SchemaDef) => {
    const changes = diffSchemas(desired, await live(), { engine: engine.name });
    const migration = migrationFor(changes, desired, { allowDrop: false, engine: engine.name });
    const run = await applyMigration(migration.statements, (sql) => engine.run(sql), engine.name);
    expect(run.failed).toBeUndefined();
    return { changes, migration };
  };

  it('widens the column for the envelope, adds the blind index and its unique index, then finds nothing', async () => {
    await migrate(schemaOf(PLAIN));
    const desired = schemaOf(ENCRYPTED);
    const { changes, migration } = await migrate(desired);
    const lines = changes.map(describeChange);
    expect(lines).toContain(
      'users.email: type varchar(1087) in schema.yaml, varchar(190) in the database (encrypted: the column holds the envelope)',
    );
    expect(lines).toContain(
      'users.email_bidx: column missing in the database (searchable: the blind index of email, unique)',
    );
    expect(lines).toContain(
      'users: index email_bidx unique (email_bidx) missing in the database (searchable: the blind index of email, unique)',
    );
    // The unique index leaves the ciphertext column (equal emails have different envelopes).
    expect(lines).toContain('users: index email unique (email) in the database, not in schema.yaml');
    expect(migration.statements.join('\n')).toContain('`email_bidx` char(32) NULL');
    const left = diffSchemas(desired, await live(), { engine: engine.name }).map(describeChange);
    if (engine.name === 'mariadb') expect(left).toEqual([]);
    else {
      // SQLite retypes no column in place and drops no UNIQUE of its CREATE TABLE (a rebuild
      // does); a varchar's length is only a name there, and a unique envelope harms nothing.
      expect(migration.skipped.every((line) => line.includes('rebuild'))).toBe(true);
      expect(left.every((l) => /^users(\.(email|phone|notes): type|: index email unique)/.test(l))).toBe(
        true,
      );
    }
  });

  it('reads a database that has the blind index back as the declared field: a re-scan reports nothing', async () => {
    const desired = schemaOf(ENCRYPTED);
    const scan = scanSchema(await engine.raw(), desired);
    expect(scan.report.addedFields).toEqual([]);
    if (engine.name === 'mariadb') expect(scan.report.changedFields).toEqual([]);
    const users = scan.schema.tables.find((t) => t.name === 'users')!;
    expect(users.fields.map((f) => f.name)).toEqual(['id', 'email', 'phone', 'notes']);
    const email = users.fields.find((f) => f.name === 'email')!;
    expect(email).toMatchObject({ encrypted: true, searchable: true, unique: true });
    if (engine.name === 'mariadb') expect(email.length).toBe(190);
    expect(users.indexes).toEqual([]);
    expect(scan.findings).toEqual([]);
  });
});

describe('encrypted and searchable in schema.yaml', () => {
  it('says where each misuse is (file, line, key)', () => {
    const { findings } = parseSchemaYaml(
      `version: 1
tables:
  t:
    fields:
      id: { type: int, primary: true, auto: true, encrypted: true }
      n: { type: int, encrypted: true }
      s: { type: string, length: 10, searchable: true }
      u: { type: string, length: 10, unique: true, encrypted: true }
      d: { type: string, length: 10, default: x, encrypted: true }
      i: { type: string, length: 10, encrypted: true }
      e: { type: string, length: 10, encrypted: yes }
      l: { type: string, length: 10, auth: login, encrypted: true }
    indexes:
      idx_i: { fields: [i] }
`,
      'apps/x/schema.yaml',
    );
    expect(findings.map((f) => `${f.line}:${f.key}: ${f.expected}`)).toEqual([
      '4:tables.t.fields: a field with auth: password beside the other auth field',
      '5:tables.t.fields.id.encrypted: encrypted only on a string or text field',
      '5:tables.t.fields.id.encrypted: encrypted not on a key field',
      '6:tables.t.fields.n.encrypted: encrypted only on a string or text field',
      '7:tables.t.fields.s.searchable: searchable only with encrypted: true (plain fields filter as they are)',
      '8:tables.t.fields.u.unique: searchable: true with unique (the unique index is on the blind index)',
      '9:tables.t.fields.d.default: no default on an encrypted field other than null (it would be stored in clear)',
      '11:tables.t.fields.e.encrypted: true or false',
      '12:tables.t.fields.l.searchable: searchable: true on an encrypted login (login finds it by its blind index)',
      '14:tables.t.indexes.idx_i.fields: no encrypted field in an index (i: searchable: true indexes its blind index)',
    ]);
  });
});
