import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '@sogoms/config';
import { loadSchemaFile } from '@sogoms/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';
import { runCli, startStack, type TestStack } from './support/stack.js';
import { writeTestConfig, type TestConfig } from './support/test-config.factory.js';

const ADMIN = { email: 'admin@garden.test', password: 'garden admin passphrase' };

/** An SQLite file SOGOMS has never seen: composite keys, a self-reference, a view, no users table. */
const GARDEN_SQL = `
CREATE TABLE beds (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name VARCHAR(60) NOT NULL,
  parent_id INTEGER REFERENCES beds (id) ON DELETE SET NULL,
  sunny BOOLEAN NOT NULL DEFAULT 1
);
CREATE TABLE plantings (
  bed_id INTEGER NOT NULL REFERENCES beds (id) ON DELETE CASCADE,
  season TEXT NOT NULL CHECK (season IN ('spring', 'summer', 'autumn')),
  crop VARCHAR(40) NOT NULL,
  PRIMARY KEY (bed_id, season)
) WITHOUT ROWID;
CREATE INDEX idx_plantings_crop ON plantings (crop);
CREATE VIEW sunny_beds AS SELECT id, name FROM beds WHERE sunny = 1;
INSERT INTO beds (name) VALUES ('North');
INSERT INTO beds (name, parent_id) VALUES ('North corner', 1);
INSERT INTO plantings VALUES (1, 'spring', 'peas');
`;

describe('bringing an SQLite file in: app create --database-url sqlite:..., then the stack serves it', () => {
  let config: TestConfig;
  let stack: TestStack | undefined;
  let file: string;
  const cli = (...args: string[]) => runCli(config.configRoot, args);

  beforeAll(async () => {
    config = writeTestConfig(await freePort(), []);
    mkdirSync(join(config.dir, 'data'));
    file = join(config.dir, 'data/garden.db');
    const db = new Database(file);
    db.exec(GARDEN_SQL);
    db.close();
  });
  afterAll(async () => {
    if (stack !== undefined) await stack.stop();
  });

  it('refuses a missing file in one line, writing nothing', async () => {
    const result = await cli(
      'app',
      'create',
      'garden',
      '--database-url',
      `sqlite:${join(config.dir, 'data/missing.db')}`,
      '--host',
      'garden.test',
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^sogoms: cannot open SQLite file .*missing\.db of app 'garden'/);
    expect(existsSync(join(config.configRoot, 'apps/garden'))).toBe(false);
  });

  it('creates the app: driver sqlite, the file relative to the config root, schema.yaml from the file', async () => {
    const result = await cli(
      'app',
      'create',
      'garden',
      '--database-url',
      `sqlite://${file}`,
      '--host',
      'garden.test',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`created app 'garden' for sqlite:${file}`);
    expect(result.stdout).toContain('created sogoms_users');
    const appDir = join(config.configRoot, 'apps/garden');
    const yaml = readFileSync(join(appDir, 'app.yaml'), 'utf8');
    expect(yaml).toContain('database:\n  driver: sqlite\n  file: ../data/garden.db\n');
    expect(existsSync(join(appDir, 'secrets/db_password'))).toBe(false);
    const [app] = loadConfig(config.configRoot).apps;
    expect(app.database).toMatchObject({ driver: 'sqlite', file, name: 'garden' });

    const schema = loadSchemaFile(appDir, config.dir)!;
    expect(schema.tables.map((t) => [t.name, t.view])).toEqual([
      ['beds', false],
      ['plantings', false],
      ['sogoms_users', false],
      ['sunny_beds', true],
    ]);
    const beds = schema.tables.find((t) => t.name === 'beds')!;
    expect(beds.fields.find((f) => f.name === 'parent_id')?.foreign).toMatchObject({ table: 'beds' });
    expect(beds.fields.find((f) => f.name === 'sunny')).toMatchObject({ type: 'bool', default: true });
    const plantings = schema.tables.find((t) => t.name === 'plantings')!;
    expect(plantings.primary).toEqual(['bed_id', 'season']);
    expect(plantings.fields.find((f) => f.name === 'season')).toMatchObject({
      type: 'enum',
      values: ['spring', 'summer', 'autumn'],
    });
    const users = schema.tables.find((t) => t.name === 'sogoms_users')!;
    expect(users.fields.find((f) => f.name === 'role')).toMatchObject({
      type: 'enum',
      values: ['default', 'admin'],
    });
  });

  it('validate and diff find nothing to do on the file just scanned', async () => {
    const validate = await cli('schema', 'validate', 'garden');
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    const diff = await cli('schema', 'diff', 'garden');
    expect(diff.stderr).toBe('');
    expect(diff.code).toBe(0);
  });

  it('migrate --apply adds a column and an index to the file; a type change is refused with the manual way', async () => {
    const schemaFile = join(config.configRoot, 'apps/garden/schema.yaml');
    const original = readFileSync(schemaFile, 'utf8');
    expect(original).toMatch(/^ {2}beds:\n {4}fields:\n/m);
    const added = original.replace(
      /^ {2}beds:\n {4}fields:\n/m,
      '  beds:\n    indexes:\n      idx_beds_note: { fields: [note] }\n    fields:\n      note: { type: text, nullable: true }\n',
    );
    writeFileSync(schemaFile, added);
    const migrate = await cli('schema', 'migrate', 'garden', '--apply');
    expect(migrate.stderr).toBe('');
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toContain('ALTER TABLE `beds` ADD COLUMN `note` text NULL DEFAULT NULL;');
    expect(migrate.stdout).toContain('CREATE INDEX `beds__idx_beds_note` ON `beds` (`note`);');
    expect(migrate.stdout).toContain("database 'garden' now matches schema.yaml");

    writeFileSync(
      schemaFile,
      added.replace(
        '      note: { type: text, nullable: true }',
        '      note: { type: int, nullable: true }',
      ),
    );
    const refused = await cli('schema', 'migrate', 'garden', '--apply');
    expect(refused.stdout).toContain(
      "-- skipped: changing beds.note's type from text to int: SQLite's ALTER TABLE cannot do this",
    );
    expect(refused.code).toBe(1);
    writeFileSync(schemaFile, added);
  });

  it('adds an admin, and the stack serves the file: CRUD, composite keys, the view, introspection', async () => {
    const admin = await cli(
      'user',
      'create',
      'garden',
      '--email',
      ADMIN.email,
      '--password',
      ADMIN.password,
      '--role',
      'admin',
    );
    expect(admin.stderr).toBe('');
    expect(admin.code).toBe(0);

    stack = await startStack(config);
    const garden = (call: Parameters<TestStack['call']>[0]) => stack!.call({ host: 'garden.test', ...call });
    const login = await garden({ method: 'POST', path: '/api/auth/login', body: ADMIN });
    expect(login.status, login.text).toBe(200);
    const headers = { authorization: `Bearer ${login.json.data.token as string}` };

    const beds = await garden({ path: '/api/beds', headers });
    expect(beds.status, beds.text).toBe(200);
    expect(beds.json.data).toEqual([
      expect.objectContaining({ id: 1, name: 'North', parent_id: null, sunny: true }),
      expect.objectContaining({ id: 2, name: 'North corner', parent_id: 1 }),
    ]);
    const created = await garden({ method: 'POST', path: '/api/beds', headers, body: { name: 'South' } });
    expect(created.status, created.text).toBe(201);
    expect(created.json.data).toMatchObject({ id: 3, name: 'South', sunny: true });
    const view = await garden({ path: '/api/sunny_beds', headers });
    expect(view.status, view.text).toBe(200);
    expect(view.json.data.map((row: { name: string }) => row.name)).toContain('South');
    const plantings = await garden({ path: '/api/plantings', headers });
    expect(plantings.json.data).toEqual([{ bed_id: 1, season: 'spring', crop: 'peas' }]);

    const introspect = await garden({ path: '/api/_admin/schema/introspect', headers });
    expect(introspect.status, introspect.text).toBe(200);
    const tables = introspect.json.data.tables as { name: string; primary: string[] }[];
    expect(tables.map((t) => t.name)).toEqual(['beds', 'plantings', 'sogoms_users', 'sunny_beds']);
    expect(tables[1].primary).toEqual(['bed_id', 'season']);
  });
});
