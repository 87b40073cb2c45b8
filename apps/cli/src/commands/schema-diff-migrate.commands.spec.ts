import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import { readDatabase, schemaFromDatabase, writeSchemaYaml } from '@sogoms/schema';
import { loadSakila, TEST_MARIADB, type LoadedSakila } from '@sogoms/schema/testing';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../main.js';
import { CliFailure, type CliCommand, type CliContext } from '../cli-context.js';
import { schemaDiffCommand, type SchemaDiffOptions } from './schema-diff.command.js';
import { schemaMigrateCommand, type SchemaMigrateOptions } from './schema-migrate.command.js';

const PROKOV = fileURLToPath(new URL('../../../../config/apps/prokov/', import.meta.url));

describe('schema diff / schema migrate (real MariaDB)', () => {
  let fixture: ConfigFixture;
  let admin: mysql.Connection;
  let sakila: LoadedSakila;
  const databases: string[] = [];
  let out: string[] = [];
  let err: string[] = [];

  const run = async (
    command: CliCommand<SchemaMigrateOptions> | CliCommand<SchemaDiffOptions>,
    args: string[],
    options: SchemaMigrateOptions & SchemaDiffOptions = {},
  ) => {
    out = [];
    err = [];
    const ctx: CliContext<SchemaMigrateOptions & SchemaDiffOptions> = {
      args,
      options,
      configRoot: fixture.root,
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    };
    return command.run(ctx);
  };
  const newDatabase = async (): Promise<string> => {
    const name = `sogoms_test_migrate_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    databases.push(name);
    return name;
  };
  /** schema.yaml for `app`, generated from `database` as `schema scan` would. */
  const writeSchemaFrom = async (app: string, database: string): Promise<void> => {
    const raw = await readDatabase(
      async (sql, params) => (await admin.query(sql, params))[0] as never,
      database,
    );
    fixture.write(`apps/${app}/schema.yaml`, writeSchemaYaml(schemaFromDatabase(raw).schema));
  };

  beforeAll(async () => {
    admin = await mysql.createConnection({ ...TEST_MARIADB, multipleStatements: true });
    fixture = createConfigFixture();
    sakila = await loadSakila({ area: 'migrate', data: false });
    fixture.app('sakila', { database: { name: sakila.database } });
    await writeSchemaFrom('sakila', sakila.database);
  }, 60_000);

  afterAll(async () => {
    await sakila.drop();
    for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
    fixture.remove();
  });

  it('diff: exit 0 when the database matches schema.yaml', async () => {
    expect(await run(schemaDiffCommand, ['sakila'])).toBe(0);
    expect(out).toEqual([`schema.yaml of app 'sakila' matches database '${sakila.database}'`]);
  });

  it('Sakila minus a table: diff lists it (text and --json), migrate prints, --apply restores, diff is empty', async () => {
    await admin.query(`DROP TABLE \`${sakila.database}\`.film_text`);

    expect(await run(schemaDiffCommand, ['sakila'])).toBe(1);
    expect(out).toEqual([
      `1 difference between schema.yaml of app 'sakila' and database '${sakila.database}':`,
      '  film_text: table missing in the database',
    ]);
    expect(await run(schemaDiffCommand, ['sakila'], { json: true })).toBe(1);
    expect(JSON.parse(out.join('\n'))).toEqual({
      app: 'sakila',
      database: sakila.database,
      differences: [
        {
          kind: 'table_missing',
          table: 'film_text',
          view: false,
          description: 'film_text: table missing in the database',
        },
      ],
    });

    // A dry run prints a script and changes nothing.
    expect(await run(schemaMigrateCommand, ['sakila'])).toBe(0);
    const script = out.join('\n');
    expect(script).toContain('CREATE TABLE `film_text` (');
    expect(script).toContain('FULLTEXT KEY `idx_title_description` (`title`, `description`)');
    expect(script).toContain('-- not applied (dry run): run again with --apply');
    expect(await run(schemaDiffCommand, ['sakila'])).toBe(1);

    expect(await run(schemaMigrateCommand, ['sakila'], { apply: true })).toBe(0);
    expect(out.at(-2)).toBe('-- applied 1 of 1 statement(s)');
    expect(out.at(-1)).toBe(`-- database '${sakila.database}' now matches schema.yaml`);
    expect(await run(schemaDiffCommand, ['sakila'])).toBe(0);
    expect(await run(schemaMigrateCommand, ['sakila'])).toBe(0);
    expect(out).toEqual([
      `-- nothing to migrate: database '${sakila.database}' matches schema.yaml of app 'sakila'`,
    ]);
  }, 60_000);

  it('migrate --apply from an empty database to the demo schema, then diff is empty', async () => {
    const source = await newDatabase();
    await admin.query(`USE \`${source}\`; ${readFileSync(join(PROKOV, 'sql/schema.sql'), 'utf8')}`);
    const target = await newDatabase();
    fixture.app('demo', { database: { name: target } });
    await writeSchemaFrom('demo', source);

    expect(await run(schemaDiffCommand, ['demo'])).toBe(1);
    expect(out.slice(1)).toEqual(
      ['projects', 'statuses', 'tags', 'task_tags', 'tasks', 'users'].map(
        (t) => `  ${t}: table missing in the database`,
      ),
    );
    expect(await run(schemaMigrateCommand, ['demo'], { apply: true })).toBe(0);
    expect(out.filter((line) => line.startsWith('CREATE TABLE'))).toHaveLength(6);
    expect(await run(schemaDiffCommand, ['demo'])).toBe(0);
  });

  it.skipIf(!existsSync(join(PROKOV, 'schema.yaml')))(
    "migrate --apply from an empty database to prokov's checked-in schema.yaml",
    async () => {
      const target = await newDatabase();
      fixture.app('prokov', { database: { name: target } });
      copyFileSync(join(PROKOV, 'schema.yaml'), join(fixture.root, 'apps/prokov/schema.yaml'));
      expect(await run(schemaMigrateCommand, ['prokov'], { apply: true })).toBe(0);
      expect(await run(schemaDiffCommand, ['prokov'])).toBe(0);
    },
  );

  it('drops only with --allow-drop; without, the difference stays and the exit code says so', async () => {
    const db = await newDatabase();
    await admin.query(`CREATE TABLE \`${db}\`.keep (id INT NOT NULL PRIMARY KEY)`);
    fixture.app('drops', { database: { name: db } });
    await writeSchemaFrom('drops', db);
    await admin.query(
      `CREATE TABLE \`${db}\`.stray (id INT NOT NULL PRIMARY KEY); ALTER TABLE \`${db}\`.keep ADD COLUMN extra INT NULL`,
    );

    expect(await run(schemaMigrateCommand, ['drops'], { apply: true })).toBe(1);
    expect(out).toContain('-- skipped: DROP COLUMN keep.extra: needs --allow-drop');
    expect(out).toContain('-- skipped: DROP TABLE stray: needs --allow-drop');
    expect(out.slice(-3)).toEqual([
      '-- still different after the migration (2):',
      '--   keep.extra: column in the database, not in schema.yaml',
      '--   stray: table in the database, not in schema.yaml',
    ]);
    const [tables] = await admin.query(`SHOW TABLES FROM \`${db}\``);
    expect(tables).toHaveLength(2);

    expect(await run(schemaMigrateCommand, ['drops'], { apply: true, allowDrop: true })).toBe(0);
    expect(out).toContain('DROP TABLE `stray`;\n');
    expect(await run(schemaDiffCommand, ['drops'])).toBe(0);
  });

  it('a failing statement: exit 2, what failed and what was not applied on stderr', async () => {
    const db = await newDatabase();
    await admin.query(`CREATE TABLE \`${db}\`.t (id INT NOT NULL PRIMARY KEY, v VARCHAR(10) NULL)`);
    fixture.app('failing', { database: { name: db } });
    fixture.write(
      'apps/failing/schema.yaml',
      [
        'version: 1',
        'tables:',
        '  t:',
        '    fields:',
        '      id: { type: int, primary: true }',
        '      v: { type: string, length: 10, required: true }',
        '  u:',
        '    fields:',
        '      id: { type: int, primary: true }',
        '',
      ].join('\n'),
    );
    await admin.query(`INSERT INTO \`${db}\`.t VALUES (1, NULL)`);
    expect(await run(schemaMigrateCommand, ['failing'], { apply: true })).toBe(2);
    expect(out.at(-1)).toBe('-- applied 0 of 2 statement(s)');
    expect(err[0]).toMatch(/^sogoms: this statement failed: \w+: /);
    expect(err[0]).toContain('ALTER TABLE `t`\n  MODIFY COLUMN `v` varchar(10) NOT NULL;');
    expect(err[1]).toBe('sogoms: 1 statement(s) after it were not applied:');
    expect(err[2]).toMatch(/^CREATE TABLE `u`/);
  });

  it('refuses what it cannot do: no schema.yaml, an unknown flag, an unreachable database', async () => {
    fixture.app('bare', { database: { name: 'sogoms_test_migrate_none' } });
    await expect(run(schemaDiffCommand, ['bare'])).rejects.toThrow(/app 'bare' has no schema.yaml yet/);
    // Options are commander's: a typo is a usage error (exit 2) that names the nearest option.
    const usage: string[] = [];
    const io = { out: (line: string) => usage.push(line), err: (line: string) => usage.push(line) };
    expect(await runCli(['schema', 'migrate', 'sakila', '--aply', '--config', fixture.root], io)).toBe(2);
    expect(usage).toEqual(["error: unknown option '--aply'\n(Did you mean --apply?)"]);
    fixture.app('offline', { database: { name: sakila.database, port: 1 } });
    await writeSchemaFrom('offline', sakila.database);
    const failure = await run(schemaDiffCommand, ['offline']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CliFailure);
    expect((failure as CliFailure).message).toMatch(/cannot connect to database/);
  });
});
