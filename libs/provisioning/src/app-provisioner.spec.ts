import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SogomsError } from '@sogoms/common';
import { loadConfig } from '@sogoms/config';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import {
  adminConnection,
  dropDatabases,
  listenDbSocket,
  MARIADB,
  rejectionOf,
  startDbHarness,
  testDatabaseName,
  testGlobalConfig,
  type DbHarness,
} from '@sogoms/db/testing';
import { createClientProxy, IpcClient, type UnixSocketServer } from '@sogoms/ipc';
import { loadSchemaFile } from '@sogoms/schema';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { provisionApp } from './app-provisioner.js';
import { probeDatabase } from './database-probe.client.js';
import type { NewAppRequest } from './new-app-request.js';

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('provisionApp over db.probe (a real db service on a Unix socket, real MariaDB)', () => {
  const library = testDatabaseName('prov_library');
  const club = testDatabaseName('prov_club');
  /** One table, no users table; the reader may only SELECT there. */
  const bare = testDatabaseName('prov_bare');
  const tag = randomBytes(3).toString('hex');
  const reader = { user: `sogoms_prov_${tag}`, password: `prov-pass-${tag}` };
  let db: DbHarness;
  let socket: UnixSocketServer;
  let client: IpcClient;
  let fx: ConfigFixture;

  const database = (name: string, over: Partial<typeof MARIADB> = {}) => ({ ...MARIADB, name, ...over });
  const viaDbService = (name: string, over: Partial<typeof MARIADB> = {}) =>
    probeDatabase((pattern, payload) => client.call(pattern, payload), database(name, over));
  const request = (over: Partial<NewAppRequest> = {}): NewAppRequest => ({
    name: 'library',
    hosts: ['Library.Test', 'books.test'],
    basePath: '/api',
    database: { driver: 'mariadb', ...database(library) },
    ...over,
  });
  const tablesOf = async (name: string): Promise<string[]> => {
    const admin = await adminConnection();
    try {
      const [rows] = await admin.query(
        'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
        [name],
      );
      return (rows as { t: string }[]).map((row) => row.t);
    } finally {
      await admin.end();
    }
  };

  beforeAll(async () => {
    const admin = await adminConnection();
    try {
      await admin.query(`CREATE DATABASE \`${library}\`; USE \`${library}\`;
        CREATE TABLE author (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL);
        CREATE TABLE book (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, title VARCHAR(200) NOT NULL,
          author_id INT UNSIGNED NOT NULL, CONSTRAINT fk_book_author FOREIGN KEY (author_id) REFERENCES author (id));`);
      await admin.query(`CREATE DATABASE \`${club}\`; USE \`${club}\`;
        CREATE TABLE members (member_id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(150) NOT NULL UNIQUE,
          password_hash VARCHAR(100) NOT NULL, name VARCHAR(100) NULL);`);
      await admin.query(
        `CREATE DATABASE \`${bare}\`; CREATE TABLE \`${bare}\`.note (id INT PRIMARY KEY, body TEXT)`,
      );
      for (const host of ['%', 'localhost']) {
        await admin.query(`CREATE USER '${reader.user}'@'${host}' IDENTIFIED BY '${reader.password}'`);
        await admin.query(`GRANT SELECT ON \`${club}\`.* TO '${reader.user}'@'${host}'`);
        await admin.query(`GRANT SELECT ON \`${bare}\`.* TO '${reader.user}'@'${host}'`);
      }
    } finally {
      await admin.end();
    }
    fx = createConfigFixture();
    const global = { ...testGlobalConfig(), root: fx.root, runDir: fx.root, logDir: fx.root };
    db = await startDbHarness([], global);
    socket = await listenDbSocket(global, db.service);
    client = new IpcClient(createClientProxy(global, 'db'), { timeoutMs: 15_000 });
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await socket?.close();
    await db?.close();
    const admin = await adminConnection();
    try {
      await admin.query(`DROP USER IF EXISTS '${reader.user}'@'%', '${reader.user}'@'localhost'`);
    } finally {
      await admin.end();
    }
    await dropDatabases([library, club, bare]);
    fx?.remove();
  });

  it('creates sogoms_users, writes a folder that loadConfig accepts, secrets of mode 600', async () => {
    const created = await provisionApp(fx.root, request(), viaDbService(library));
    expect(created.dir).toBe(join(fx.root, 'apps/library'));
    expect(created.tables).toBe(3);
    expect(created.notes[0]).toMatch(/^no users table found: created sogoms_users/);
    expect(await tablesOf(library)).toEqual(['author', 'book', 'sogoms_users']);

    const app = loadConfig(fx.root).apps.find((a) => a.name === 'library')!;
    expect(app).toMatchObject({
      version: '1.0.0',
      hosts: ['library.test', 'books.test'],
      basePath: '/api',
      database: { host: MARIADB.host, port: MARIADB.port, user: 'root', name: library },
      auth: { usersTable: 'sogoms_users', loginField: 'email', roleField: 'role', jwtExpiresInS: 15 * 60 },
    });
    // Generated: 48 random bytes in base64url.
    expect(app.auth.jwtSecret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(mode(join(created.dir, 'secrets/jwt_secret'))).toBe(0o600);
    const schema = loadSchemaFile(created.dir, fx.root)!;
    expect(schema.tables.map((t) => t.name).sort()).toEqual(['author', 'book', 'sogoms_users']);
    expect(readFileSync(created.appYaml, 'utf8')).toContain('users_table: sogoms_users');
  });

  it('takes a typed secret, version, expiry and password; adds a role column when asked', async () => {
    const admin = await adminConnection();
    try {
      await admin.query(`CREATE USER IF NOT EXISTS 'club_owner_${tag}'@'%' IDENTIFIED BY 'club secret'`);
      await admin.query(
        `CREATE USER IF NOT EXISTS 'club_owner_${tag}'@'localhost' IDENTIFIED BY 'club secret'`,
      );
      await admin.query(
        `GRANT ALL ON \`${club}\`.* TO 'club_owner_${tag}'@'%', 'club_owner_${tag}'@'localhost'`,
      );
    } finally {
      await admin.end();
    }
    const owner = { user: `club_owner_${tag}`, password: 'club secret' };
    try {
      const created = await provisionApp(
        fx.root,
        request({
          name: 'club',
          version: '3.2.1',
          hosts: ['club.test'],
          basePath: '/v2',
          database: { driver: 'mariadb', ...database(club, owner) },
          jwtSecret: 'a typed secret that is long enough 0123',
          jwtExpiresIn: '1h',
          addRoleColumn: true,
        }),
        viaDbService(club, owner),
      );
      expect(created.notes).toContain('users table: members (login email, password password_hash)');
      expect(created.notes).toContain("added column members.role ENUM('default','admin') DEFAULT 'default'");
      const app = loadConfig(fx.root).apps.find((a) => a.name === 'club')!;
      expect(app).toMatchObject({
        version: '3.2.1',
        basePath: '/v2',
        database: { user: owner.user, password: 'club secret' },
        auth: {
          usersTable: 'members',
          idField: 'member_id',
          roleField: 'role',
          jwtSecret: 'a typed secret that is long enough 0123',
          jwtExpiresInS: 3600,
        },
      });
      expect(mode(join(created.dir, 'secrets/db_password'))).toBe(0o600);
      expect(readFileSync(created.appYaml, 'utf8')).not.toContain('club secret');
    } finally {
      const cleanup = await adminConnection();
      await cleanup.query(`DROP USER IF EXISTS 'club_owner_${tag}'@'%', 'club_owner_${tag}'@'localhost'`);
      await cleanup.end();
    }
  });

  describe('refusals, each naming the field, leaving no folder behind', () => {
    let scratch: ConfigFixture;
    beforeEach(() => {
      scratch = createConfigFixture();
    });
    afterEach(() => scratch.remove());

    const refusal = async (work: Promise<unknown>): Promise<SogomsError> => {
      const error = await rejectionOf(work);
      expect(error).toBeInstanceOf(SogomsError);
      expect(existsSync(join(scratch.root, 'apps/x'))).toBe(false);
      return error as SogomsError;
    };

    it('a wrong password, an unknown database, an unreachable port: the db service says which field', async () => {
      const cases = [
        [{ password: 'wrong', user: reader.user }, club, 'UNAUTHORIZED', 'user'],
        [{}, `${club}_missing`, 'NOT_FOUND', 'name'],
        [{ port: 1 }, club, 'UNAVAILABLE', 'host'],
      ] as const;
      for (const [over, name, code, field] of cases) {
        const error = await refusal(
          provisionApp(
            scratch.root,
            request({
              name: 'x',
              hosts: ['x.test'],
              database: { driver: 'mariadb', ...database(name, over) },
            }),
            viaDbService(name, over),
          ),
        );
        expect({ code: error.code, details: error.details }).toEqual({ code, details: { field } });
        expect(error.message).not.toContain('wrong');
      }
    });

    it('a user that may not create the users table: FORBIDDEN on authTable, the database untouched', async () => {
      const asReader = { user: reader.user, password: reader.password };
      const error = await refusal(
        provisionApp(
          scratch.root,
          request({
            name: 'x',
            hosts: ['x.test'],
            database: { driver: 'mariadb', ...database(bare, asReader) },
          }),
          viaDbService(bare, asReader),
        ),
      );
      expect(error.code).toBe('FORBIDDEN');
      expect(error.details).toEqual({ field: 'authTable' });
      expect(error.message).toMatch(
        /^cannot create table sogoms_users \(FORBIDDEN\): give the database user that right/,
      );
      expect(await tablesOf(bare)).toEqual(['note']);
    });

    it('a named users table that is missing or does not fit: VALIDATION_FAILED on authTable', async () => {
      const missing = await refusal(
        provisionApp(
          scratch.root,
          request({ name: 'x', hosts: ['x.test'], authTable: 'nope' }),
          viaDbService(library),
        ),
      );
      expect(missing.code).toBe('VALIDATION_FAILED');
      expect(missing.details).toEqual({ field: 'authTable' });
      expect(missing.message).toBe(`database '${library}' has no table nope`);
      const unfit = await refusal(
        provisionApp(
          scratch.root,
          request({ name: 'x', hosts: ['x.test'], authTable: 'book' }),
          viaDbService(library),
        ),
      );
      expect(unfit.details).toEqual({ field: 'authTable' });
      expect(unfit.message).toMatch(/^book cannot be the users table: no text login column/);
    });

    it('a host another app serves: CONFLICT on hosts, before the database is asked anything', async () => {
      scratch.app('shop', { hosts: ['x.test'] });
      const before = await tablesOf(bare);
      const error = await refusal(
        provisionApp(scratch.root, request({ name: 'x', hosts: ['X.test'] }), viaDbService(bare)),
      );
      expect(error.code).toBe('CONFLICT');
      expect(error.details).toEqual({ field: 'hosts' });
      expect(error.message).toBe("host x.test is already served by app 'shop'");
      expect(await tablesOf(bare)).toEqual(before);
    });
  });
});
