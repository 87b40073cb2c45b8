import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@sogoms/config';
import { loadSchemaFile } from '@sogoms/schema';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';
import { dropDatabase, runCli, startStack, type TestStack } from './support/stack.js';
import { writeTestConfig, type TestConfig } from './support/test-config.factory.js';

const tag = randomBytes(3).toString('hex');
/** A database SOGOMS has never seen: two tables, a foreign key, no users table. */
const LIBRARY_DB = `sogoms_test_appcreate_library_${tag}`;
/** A database with its own users table, without a role column. */
const CLUB_DB = `sogoms_test_appcreate_club_${tag}`;
const SERVER = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };
const ADMIN = { email: 'admin@library.test', password: 'library admin passphrase' };
const READER = { email: 'reader@library.test', password: 'library reader passphrase' };

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('bringing a database in: app create, user create, admin schema endpoints', () => {
  let config: TestConfig;
  let stack: TestStack | undefined;
  let server: mysql.Connection;
  const cli = (...args: string[]) => runCli(config.configRoot, args);
  const appsListing = (): string[] =>
    existsSync(join(config.configRoot, 'apps')) ? readdirSync(join(config.configRoot, 'apps')).sort() : [];
  const tablesOf = async (db: string): Promise<string[]> => {
    const [rows] = await server.query(
      'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
      [db],
    );
    return (rows as { t: string }[]).map((row) => row.t);
  };

  beforeAll(async () => {
    server = await mysql.createConnection({ ...SERVER, multipleStatements: true });
    await server.query(`CREATE DATABASE \`${LIBRARY_DB}\`; USE \`${LIBRARY_DB}\`;
      CREATE TABLE author (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL);
      CREATE TABLE book (
        id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
        title VARCHAR(200) NOT NULL,
        author_id INT UNSIGNED NOT NULL,
        CONSTRAINT fk_book_author FOREIGN KEY (author_id) REFERENCES author (id)
      );
      INSERT INTO author (name) VALUES ('Le Guin');
      INSERT INTO book (title, author_id) VALUES ('The Dispossessed', 1);`);
    await server.query(`CREATE DATABASE \`${CLUB_DB}\`; USE \`${CLUB_DB}\`;
      CREATE TABLE members (
        member_id INT AUTO_INCREMENT PRIMARY KEY,
        email VARCHAR(150) NOT NULL UNIQUE,
        password_hash VARCHAR(100) NOT NULL,
        name VARCHAR(100) NULL
      );`);
    config = writeTestConfig(await freePort(), []);
  });

  afterAll(async () => {
    if (stack !== undefined) await stack.stop();
    else rmSync(config.dir, { recursive: true, force: true });
    for (const db of [LIBRARY_DB, CLUB_DB]) await dropDatabase(db);
    await server.end();
  });

  it('refuses a bad or unreachable database in one line, exit 2, writing nothing', async () => {
    const attempts = [
      ['not-a-url', /^sogoms: --database-url is not a URL/],
      [
        `mysql://root@127.0.0.1:1/${LIBRARY_DB}`,
        /^sogoms: cannot connect to database '.*' of app 'library' at 127\.0\.0\.1:1 .*\(ECONNREFUSED\)$/,
      ],
      [`mysql://root@127.0.0.1:3306/${LIBRARY_DB}_missing`, /^sogoms: cannot connect .*\(ER_BAD_DB_ERROR\)$/],
      [
        `mysql://nobody_${tag}:wrong@127.0.0.1:3306/${LIBRARY_DB}`,
        /^sogoms: cannot connect .*\(ER_ACCESS_DENIED_(?:NO_PASSWORD_)?ERROR\)$/,
      ],
    ] as const;
    for (const [url, message] of attempts) {
      const result = await cli('app', 'create', 'library', '--database-url', url, '--host', 'library.test');
      expect(result.code, url).toBe(2);
      expect(result.stderr.trim().split('\n'), url).toHaveLength(1);
      expect(result.stderr.trim(), url).toMatch(message);
      expect(result.stderr, url).not.toContain('wrong');
    }
    expect(appsListing()).toEqual([]);
    expect(await tablesOf(LIBRARY_DB)).toEqual(['author', 'book']);
  });

  it('creates the app: app.yaml that loads, secrets of mode 600, schema.yaml, and sogoms_users', async () => {
    const result = await cli(
      'app',
      'create',
      'library',
      '--database-url',
      `mysql://root@127.0.0.1:3306/${LIBRARY_DB}`,
      '--host',
      'library.test,Books.Test',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('created sogoms_users');
    expect(result.stdout).toContain('the supervisor is not running');
    expect(await tablesOf(LIBRARY_DB)).toEqual(['author', 'book', 'sogoms_users']);

    const appDir = join(config.configRoot, 'apps/library');
    expect(mode(join(appDir, 'secrets'))).toBe(0o700);
    expect(mode(join(appDir, 'secrets/jwt_secret'))).toBe(0o600);
    expect(mode(join(appDir, 'secrets/crypt.keys'))).toBe(0o600);
    expect(existsSync(join(appDir, 'secrets/db_password'))).toBe(false);
    const [app] = loadConfig(config.configRoot).apps;
    expect(app).toMatchObject({
      name: 'library',
      hosts: ['library.test', 'books.test'],
      basePath: '/api',
      database: { host: '127.0.0.1', port: 3306, user: 'root', name: LIBRARY_DB },
      auth: {
        usersTable: 'sogoms_users',
        idField: 'id',
        loginField: 'email',
        passwordField: 'password_hash',
        roleField: 'role',
      },
    });
    expect(app.auth.jwtSecret).toBe(readFileSync(join(appDir, 'secrets/jwt_secret'), 'utf8').trim());

    const schema = loadSchemaFile(appDir, config.dir)!;
    expect(schema.tables.map((t) => t.name)).toEqual(['author', 'book', 'sogoms_users']);
    const book = schema.tables.find((t) => t.name === 'book')!;
    expect(book.fields.find((f) => f.name === 'author_id')?.foreign).toMatchObject({
      table: 'author',
      field: 'id',
    });
    expect(book.relations).toContainEqual(
      expect.objectContaining({ name: 'author', type: 'belongs_to', table: 'author' }),
    );
    const users = schema.tables.find((t) => t.name === 'sogoms_users')!;
    expect(users.fields.find((f) => f.name === 'password_hash')).toMatchObject({
      auth: 'password',
      hidden: true,
    });
  });

  it('refuses a taken name or host, writing nothing more', async () => {
    const before = readFileSync(join(config.configRoot, 'apps/library/app.yaml'), 'utf8');
    const url = `mysql://root@127.0.0.1:3306/${LIBRARY_DB}`;
    const again = await cli('app', 'create', 'library', '--database-url', url, '--host', 'other.test');
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toMatch(/^sogoms: config\/apps\/library already exists/);
    const host = await cli(
      'app',
      'create',
      'annex',
      '--database-url',
      url,
      '--host',
      'annex.test,BOOKS.test',
    );
    expect(host.code).toBe(2);
    expect(host.stderr.trim()).toBe("sogoms: host books.test is already served by app 'library'");
    const name = await cli('app', 'create', 'Bad Name', '--database-url', url, '--host', 'x.test');
    expect(name.code).toBe(2);
    expect(appsListing()).toEqual(['library']);
    expect(readFileSync(join(config.configRoot, 'apps/library/app.yaml'), 'utf8')).toBe(before);
  });

  it('adds an admin and a default user', async () => {
    const admin = await cli(
      'user',
      'create',
      'library',
      '--email',
      ADMIN.email,
      '--password',
      ADMIN.password,
      '--role',
      'admin',
    );
    expect(admin.stderr).toBe('');
    expect(admin.stdout).toMatch(/created user admin@library\.test \(id \d+, role admin\)/);
    const reader = await cli(
      'user',
      'create',
      'library',
      '--email',
      READER.email,
      '--password',
      READER.password,
    );
    expect(reader.code).toBe(0);
  });

  it('serves the admin schema endpoints to the admin only', async () => {
    stack = await startStack(config);
    const library = (call: Parameters<TestStack['call']>[0]) =>
      stack!.call({ host: 'library.test', ...call });
    const tokenOf = async (user: { email: string; password: string }): Promise<string> => {
      const answer = await library({ method: 'POST', path: '/api/auth/login', body: user });
      expect(answer.status, answer.text).toBe(200);
      return answer.json.data.token as string;
    };
    const admin = { authorization: `Bearer ${await tokenOf(ADMIN)}` };
    const reader = { authorization: `Bearer ${await tokenOf(READER)}` };

    const introspect = await library({ path: '/api/_admin/schema/introspect', headers: admin });
    expect(introspect.status, introspect.text).toBe(200);
    expect(introspect.json.success).toBe(true);
    const tables = introspect.json.data.tables as {
      name: string;
      fields: { name: string; foreign?: unknown }[];
    }[];
    expect(tables.map((t) => t.name)).toEqual(['author', 'book', 'sogoms_users']);
    expect(tables[1].fields.find((f) => f.name === 'author_id')?.foreign).toMatchObject({ table: 'author' });

    const forbidden = await library({ path: '/api/_admin/schema/introspect', headers: reader });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.error.code).toBe('FORBIDDEN');
    const anonymous = await library({ path: '/api/_admin/schema/introspect' });
    expect(anonymous.status).toBe(401);
    const readerGenerate = await library({
      method: 'POST',
      path: '/api/_admin/schema/generate',
      headers: reader,
    });
    expect(readerGenerate.status).toBe(403);
  });

  it('generate merges a new column into schema.yaml, keeps hand edits, and reloads', async () => {
    const appDir = join(config.configRoot, 'apps/library');
    // A hand edit: make authors public to list.
    const file = join(appDir, 'schema.yaml');
    const text = readFileSync(file, 'utf8').replace(/^ {2}author:\n/m, '  author:\n    public: [list]\n');
    expect(text).toContain('public: [list]');
    writeFileSync(file, text);
    await server.query(`ALTER TABLE \`${LIBRARY_DB}\`.book ADD COLUMN isbn CHAR(13) NULL`);

    const login = await stack!.call({
      host: 'library.test',
      method: 'POST',
      path: '/api/auth/login',
      body: ADMIN,
    });
    const answer = await stack!.call({
      host: 'library.test',
      method: 'POST',
      path: '/api/_admin/schema/generate',
      headers: { authorization: `Bearer ${login.json.data.token}` },
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json.data).toMatchObject({
      file: 'config/apps/library/schema.yaml',
      changed: true,
      tables: 3,
      report: { addedFields: ['book.isbn'], addedTables: [], droppedTables: [], droppedFields: [] },
      reload: { ok: true },
    });
    const schema = loadSchemaFile(appDir, config.dir)!;
    const book = schema.tables.find((t) => t.name === 'book')!;
    expect(book.fields.map((f) => f.name)).toEqual(['id', 'title', 'author_id', 'isbn']);
    expect(schema.tables.find((t) => t.name === 'author')!.public).toEqual(['list']);

    // A schema.yaml with problems is refused, and left as it is: a scan would lose its edits.
    const good = readFileSync(file, 'utf8');
    const broken = good.replace('public: [list]', 'public: [lst]');
    writeFileSync(file, broken);
    const refused = await stack!.call({
      host: 'library.test',
      method: 'POST',
      path: '/api/_admin/schema/generate',
      headers: { authorization: `Bearer ${login.json.data.token}` },
    });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.json.error.code).toBe('VALIDATION_FAILED');
    expect(refused.json.error.message).toContain('config/apps/library/schema.yaml');
    expect(readFileSync(file, 'utf8')).toBe(broken);
    writeFileSync(file, good);
  });

  it('a second app on a database with its own users table: no role column, reload of the running stack', async () => {
    const result = await cli(
      'app',
      'create',
      'club',
      '--database-url',
      `mysql://root@127.0.0.1:3306/${CLUB_DB}`,
      '--host',
      'club.test',
      '--base-path',
      '/v1',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('users table: members (login email, password password_hash)');
    expect(result.stdout).toContain('members has no role column');
    expect(result.stdout).toMatch(/reloaded: .*gateway/);
    expect(await tablesOf(CLUB_DB)).toEqual(['members']);
    const club = loadConfig(config.configRoot).apps.find((app) => app.name === 'club')!;
    expect(club.auth).toMatchObject({ usersTable: 'members', idField: 'member_id', roleField: null });

    const admin = await cli(
      'user',
      'create',
      'club',
      '--email',
      'a@club.test',
      '--password',
      'club passphrase',
      '--role',
      'admin',
    );
    expect(admin.code).toBe(2);
    expect(admin.stderr.trim()).toMatch(/^sogoms: app 'club' has no role column \(auth\.role_field is null/);
    const member = await cli(
      'user',
      'create',
      'club',
      '--email',
      'm@club.test',
      '--password',
      'club passphrase',
    );
    expect(member.code).toBe(0);
    // The reloaded gateway serves the new app: its member logs in, as `default`.
    const login = await stack!.call({
      host: 'club.test',
      method: 'POST',
      path: '/v1/auth/login',
      body: { email: 'm@club.test', password: 'club passphrase' },
    });
    expect(login.status, login.text).toBe(200);
    const forbidden = await stack!.call({
      host: 'club.test',
      path: '/v1/_admin/schema/introspect',
      headers: { authorization: `Bearer ${login.json.data.token}` },
    });
    expect(forbidden.status).toBe(403);
  });
});
