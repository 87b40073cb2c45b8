import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { ConfigError } from '@sogoms/config';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import { parseSchemaYaml } from '@sogoms/schema';
import { TEST_MARIADB } from '@sogoms/schema/testing';
import mysql from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CliFailure, type CliContext } from '../cli-context.js';
import { runCli } from '../main.js';
import { schemaScanCommand, type SchemaScanOptions } from './schema-scan.command.js';

const database = `sogoms_test_scan_${randomBytes(4).toString('hex')}`;

const SCHEMA = `
  CREATE TABLE users (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(190) NOT NULL UNIQUE,
    password_hash VARCHAR(100) NOT NULL,
    name VARCHAR(100) NULL
  );
  CREATE TABLE tasks (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id INT UNSIGNED NOT NULL,
    title VARCHAR(200) NOT NULL,
    notes TEXT NULL,
    CONSTRAINT fk_tasks_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
  );
  CREATE TABLE labels (id INT NOT NULL PRIMARY KEY, name VARCHAR(20) NOT NULL);
  CREATE VIEW task_titles AS SELECT id, title FROM tasks;
`;

describe('sogoms schema scan (real MariaDB)', () => {
  let fixture: ConfigFixture;
  let admin: mysql.Connection;
  let runDir: string;
  let file: string;
  let supervisor: Server | undefined;
  let requests: string[] = [];
  let out: string[] = [];
  let err: string[] = [];

  const run = (args: string[], options: SchemaScanOptions = {}): Promise<number> => {
    out = [];
    err = [];
    const ctx: CliContext<SchemaScanOptions> = {
      args,
      options,
      configRoot: fixture.root,
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    };
    return schemaScanCommand.run(ctx);
  };

  /** A stand-in for sogoctl on `{run_dir}/sogoctl.sock` that records requests and says ok. */
  const startSupervisor = async (): Promise<void> => {
    mkdirSync(runDir, { recursive: true });
    supervisor = createServer((socket) => {
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        requests.push(chunk.trim());
        socket.write(`${JSON.stringify({ success: true, data: { services: [{ name: 'gateway' }] } })}\n`);
      });
    });
    await new Promise<void>((done) => supervisor!.listen(join(runDir, 'sogoctl.sock'), done));
  };

  beforeAll(async () => {
    admin = await mysql.createConnection({ ...TEST_MARIADB, multipleStatements: true });
    await admin.query(`CREATE DATABASE \`${database}\``);
    await admin.query(`USE \`${database}\`; ${SCHEMA}`);
    fixture = createConfigFixture();
    fixture.app('demo', { database: { name: database } });
    runDir = resolve(fixture.root, '../run');
    file = join(fixture.root, 'apps/demo/schema.yaml');
  });

  afterEach(async () => {
    if (supervisor) await new Promise((done) => supervisor!.close(done));
    supervisor = undefined;
    requests = [];
  });

  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.end();
    fixture.remove();
  });

  it('is reached as `schema scan <app>` through the CLI, --config included', async () => {
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    expect(await runCli(['schema', 'scan', 'nope', '--config', fixture.root], io)).toBe(2);
    expect(lines.join('\n')).toMatch(/^sogoms: unknown app 'nope' \(apps in .*: demo\)$/);
  });

  it('writes schema.yaml from the database, with owner filter and auth fields; no supervisor is fine', async () => {
    expect(await run(['demo'])).toBe(0);
    expect(out).toEqual([
      `created config/apps/demo/schema.yaml from database '${database}': 3 tables, 1 views`,
      'the supervisor is not running: the new files are read at the next start',
    ]);
    const { schema, findings } = parseSchemaYaml(readFileSync(file, 'utf8'), 'schema.yaml');
    expect(findings).toEqual([]);
    const tasks = schema!.tables.find((t) => t.name === 'tasks')!;
    expect(tasks.filter).toBe('owner');
    expect(tasks.relations.map((r) => [r.name, r.type])).toEqual([['user', 'belongs_to']]);
    const users = schema!.tables.find((t) => t.name === 'users')!;
    expect(users.fields.filter((f) => f.auth).map((f) => [f.name, f.auth, f.hidden])).toEqual([
      ['email', 'login', false],
      ['password_hash', 'password', true],
    ]);
    expect(schema!.tables.find((t) => t.name === 'task_titles')).toMatchObject({
      view: true,
      crud: ['list'],
    });
    // The services' parse cache holds the new file's blocks: their next start parses none.
    const cache = JSON.parse(readFileSync(join(runDir, 'cache', 'demo.schema-chunks.json'), 'utf8')) as {
      file: string;
      chunks: [string, unknown][];
    };
    expect(cache.file).toBe('config/apps/demo/schema.yaml');
    expect(cache.chunks.map(([, value]) => Object.keys(value as object)[0]).sort()).toEqual(
      schema!.tables.map((t) => t.name).sort(),
    );
  });

  it('a second scan leaves the same bytes and asks for no reload', async () => {
    const before = readFileSync(file, 'utf8');
    await startSupervisor();
    expect(await run(['demo'])).toBe(0);
    expect(out).toEqual([
      `unchanged config/apps/demo/schema.yaml from database '${database}': 3 tables, 1 views`,
    ]);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(requests).toEqual([]);
  });

  it('keeps hand edits, adds new columns, reports dropped ones and asks the supervisor to reload', async () => {
    const edited = readFileSync(file, 'utf8')
      .replace(
        /^ {2}tasks:\n/m,
        '  tasks:\n    crud: [list, read, create]\n    public: [list]\n    owner_bypass: [admin]\n',
      )
      .replace(/^( {6}name: \{ type: string, length: 100, nullable: true)/m, '$1, hidden: true');
    writeFileSync(file, edited);
    await admin.query(`ALTER TABLE \`${database}\`.tasks ADD COLUMN due DATE NULL, DROP COLUMN notes`);
    await startSupervisor();
    expect(await run(['demo'])).toBe(0);
    expect(out).toEqual([
      `updated config/apps/demo/schema.yaml from database '${database}': 3 tables, 1 views`,
      'added fields: tasks.due',
      'dropped fields (still in the file: remove them by hand): tasks.notes',
      'reloaded: gateway',
    ]);
    expect(requests).toEqual(['{"cmd":"reload"}']);
    const { schema, findings } = parseSchemaYaml(readFileSync(file, 'utf8'), 'schema.yaml');
    expect(findings).toEqual([]);
    const tasks = schema!.tables.find((t) => t.name === 'tasks')!;
    expect(tasks).toMatchObject({
      crud: ['list', 'read', 'create'],
      public: ['list'],
      ownerBypass: ['admin'],
      filter: 'owner',
    });
    expect(tasks.fields.map((f) => f.name)).toEqual(['id', 'user_id', 'title', 'notes', 'due']);
    expect(
      schema!.tables.find((t) => t.name === 'users')!.fields.find((f) => f.name === 'name')?.hidden,
    ).toBe(true);
  });

  it('writes but does not reload when hand edits no longer fit the database (exit 1)', async () => {
    const before = readFileSync(file, 'utf8');
    const edited = before.replace(/^ {2}labels:\n/m, '  labels:\n    crud: [list, read]\n');
    writeFileSync(file, edited);
    await admin.query(`ALTER TABLE \`${database}\`.labels DROP PRIMARY KEY`);
    await startSupervisor();
    expect(await run(['demo'])).toBe(1);
    expect(out).toContain('note: table labels: no primary key; served list-only');
    expect(err.join('\n')).toMatch(/config\/apps\/demo\/schema\.yaml:\d+: tables\.labels\.crud: .*only list/);
    expect(requests).toEqual([]);
    expect(readFileSync(file, 'utf8')).toMatch(/labels:\n {4}crud: \[list, read\]/);
    writeFileSync(file, before);
    await admin.query(`ALTER TABLE \`${database}\`.labels ADD PRIMARY KEY (id)`);
  });

  it('never overwrites a schema.yaml that does not parse', async () => {
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, `${before}\n  broken: [\n`);
    await expect(run(['demo'])).rejects.toBeInstanceOf(ConfigError);
    expect(readFileSync(file, 'utf8')).toBe(`${before}\n  broken: [\n`);
    // Through the CLI entry: one line on stderr, exit 2.
    expect(await runCli(['schema', 'scan', 'demo', '--config', fixture.root])).toBe(2);
    writeFileSync(file, before);
  });

  it('refuses an unknown app, an unknown --auth-table and unknown flags', async () => {
    await expect(run(['nope'])).rejects.toThrow(CliFailure);
    await expect(run(['demo'], { authTable: 'nope' })).rejects.toThrow(
      `--auth-table nope: no such table in database '${database}'`,
    );
    const usage: string[] = [];
    const io = { out: (line: string) => usage.push(line), err: (line: string) => usage.push(line) };
    expect(await runCli(['schema', 'scan', 'demo', '--force', '--config', fixture.root], io)).toBe(2);
    expect(usage).toEqual(["error: unknown option '--force'"]);
  });

  it('takes --auth-table as the users table', async () => {
    const before = readFileSync(file, 'utf8');
    rmSync(file);
    expect(await run(['demo'], { authTable: 'labels' })).toBe(0);
    expect(out).toContain(
      'note: users table labels has no login column (email, username, login): no auth fields marked',
    );
    const { schema } = parseSchemaYaml(readFileSync(file, 'utf8'), 'schema.yaml');
    expect(schema!.tables.flatMap((t) => t.fields).some((f) => f.auth !== undefined)).toBe(false);
    // tasks.user_id references users, which is not the users table now.
    expect(schema!.tables.find((t) => t.name === 'tasks')!.filter).toBeUndefined();
    writeFileSync(file, before);
  });
});
