import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '@sogoms/auth';
import { loadSchemaFile, loginFieldStorageOf } from '@sogoms/schema';
import { TEST_MARIADB } from '@sogoms/schema/testing';
import { freePort } from './support/free-port.js';
import { dropDatabase, startStack, type TestStack } from './support/stack.js';
import { PROJECT_ROOT, sqliteFileOf, writeTestConfig } from './support/test-config.factory.js';
import { ENGINES } from './support/test-engines.js';

const DEMO = join(PROJECT_ROOT, 'config/apps/prokov');
const SECRET = 'prokov-crypt-secret-0123456789abcdef01234567';

/** The demo's database section as it ships: its three init files (the last encrypts the emails). */
const database = (engine: 'mariadb' | 'sqlite', name: string): Record<string, unknown> =>
  engine === 'mariadb'
    ? {
        ...{ host: '127.0.0.1', port: 3306, user: 'root', password: '', name, pool_size: 4 },
        init: ['sql/schema.sql', 'sql/seed.sql', 'sql/encrypt-users.sql'].map((f) => join(DEMO, f)),
      }
    : {
        driver: 'sqlite',
        file: '../var/prokov.sqlite',
        init: ['sql/sqlite/schema.sql', 'sql/seed.sql', 'sql/sqlite/encrypt-users.sql'].map((f) =>
          join(DEMO, f),
        ),
      };

describe.each(ENGINES)('the demo with users.email encrypted and searchable, on %s', (engine) => {
  const DB = `sogoms_test_prokov_crypt_${randomBytes(3).toString('hex')}`;
  let stack: TestStack;
  const call = (method: string, path: string, body?: unknown, token?: string) =>
    stack.call({
      host: 'prokov.test',
      method,
      path: `/api${path}`,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      body,
    });
  /** A statement on the app's database, whichever engine it is on. */
  const sql = async (query: string, params: unknown[] = []): Promise<Record<string, unknown>[]> => {
    if (engine === 'sqlite') {
      const db = new Database(sqliteFileOf(stack.config.configRoot, 'prokov'));
      try {
        const statement = db.prepare(query);
        return statement.reader
          ? (statement.all(...params) as Record<string, unknown>[])
          : (statement.run(...params), []);
      } finally {
        db.close();
      }
    }
    const connection = await mysql.createConnection({ ...TEST_MARIADB, database: DB });
    try {
      const [rows] = await connection.query(query, params);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    } finally {
      await connection.end();
    }
  };
  const emails = async (): Promise<string[]> => {
    if (engine === 'sqlite') {
      const db = new Database(sqliteFileOf(stack.config.configRoot, 'prokov'), { readonly: true });
      try {
        return (db.prepare('SELECT email FROM users').all() as { email: string }[]).map((r) => r.email);
      } finally {
        db.close();
      }
    }
    const connection = await mysql.createConnection({ ...TEST_MARIADB, database: DB });
    try {
      const [rows] = await connection.query('SELECT email FROM users');
      return (rows as { email: string }[]).map((r) => r.email);
    } finally {
      await connection.end();
    }
  };

  beforeAll(async () => {
    const config = writeTestConfig(await freePort(), [
      {
        name: 'prokov',
        hosts: ['prokov.test'],
        database: DB,
        secret: SECRET,
        schemaYaml: readFileSync(join(DEMO, 'schema.yaml'), 'utf8'),
        appYaml: { database: database(engine, DB) },
      },
    ]);
    // The demo's keys, as they ship (demo: true).
    mkdirSync(join(config.configRoot, 'apps/prokov/secrets'), { recursive: true });
    copyFileSync(join(DEMO, 'secrets/crypt.keys'), join(config.configRoot, 'apps/prokov/secrets/crypt.keys'));
    stack = await startStack(config);
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    if (engine === 'mariadb') await dropDatabase(DB);
  });

  it('logs the seeded users in, answers /auth/me, keeps emails unique, and stores no address', async () => {
    const login = await call('POST', '/auth/login', { email: 'demo@prokov.test', password: 'prokov-demo' });
    expect(login.status).toBe(200);
    expect(login.json.data.user.email).toBe('demo@prokov.test');
    const me = await call('GET', '/auth/me', undefined, login.json.data.token as string);
    expect(me.json.data.user).toMatchObject({ id: 1, email: 'demo@prokov.test', name: 'Demo User' });
    expect(me.json.data.user).not.toHaveProperty('email_bidx');
    const admin = await call('POST', '/auth/login', { email: 'Admin@Prokov.test', password: 'prokov-admin' });
    expect(admin.json.data.user.role).toBe('admin');

    const taken = await call('POST', '/auth/register', {
      email: 'DEMO@prokov.test',
      password: 'a-long-password-1',
    });
    expect(taken.status).toBe(409);
    const fresh = await call('POST', '/auth/register', {
      email: 'new@prokov.test',
      password: 'a-long-password-1',
    });
    expect(fresh.status).toBe(201);
    const again = await call('POST', '/auth/login', {
      email: 'new@prokov.test',
      password: 'a-long-password-1',
    });
    expect(again.status).toBe(200);

    // The CLI writes and finds the login as the gateway does.
    const created = await stack.cli(
      'user',
      'create',
      'prokov',
      '--email',
      'cli@prokov.test',
      '--password',
      'a-long-password-2',
    );
    expect(created.code, created.stderr).toBe(0);
    const promoted = await stack.cli(
      'user',
      'set-role',
      'prokov',
      '--email',
      'cli@prokov.test',
      '--role',
      'admin',
    );
    expect(promoted.code, promoted.stderr).toBe(0);
    const cli = await call('POST', '/auth/login', {
      email: 'cli@prokov.test',
      password: 'a-long-password-2',
    });
    expect(cli.json.data.user).toMatchObject({ email: 'cli@prokov.test', role: 'admin' });

    const stored = await emails();
    expect(stored).toHaveLength(4);
    for (const email of stored) {
      expect(email).toMatch(/^v1:k1:[A-Za-z0-9_-]+$/);
      expect(email).not.toContain('@');
    }
  });

  it('a tool beside the gateway (CLI, admin) finds, opens and writes the encrypted login as the gateway does', async () => {
    const dir = join(stack.config.configRoot, 'apps/prokov');
    const app = { name: 'prokov', dir, auth: { usersTable: 'users', loginField: 'email' } };
    const storage = loginFieldStorageOf(app, loadSchemaFile(dir, PROJECT_ROOT));
    expect(storage.encrypted).toBe(true);
    const rows = await sql(`SELECT email FROM users WHERE ${storage.lookupColumn} = ?`, [
      storage.lookupValue('demo@prokov.test'),
    ]);
    expect(rows.map((row) => storage.open(String(row.email)))).toEqual(['demo@prokov.test']);

    const columns = [...storage.columns, 'password_hash'].join(', ');
    const hash = await new PasswordHasher().hash('a-long-password-3');
    await sql(`INSERT INTO users (${columns}) VALUES (?, ?, ?)`, [
      ...storage.values('made-in-admin@prokov.test'),
      hash,
    ]);
    const login = await call('POST', '/auth/login', {
      email: 'made-in-admin@prokov.test',
      password: 'a-long-password-3',
    });
    expect(login.status, login.text).toBe(200);
    expect(login.json.data.user.email).toBe('made-in-admin@prokov.test');
    // The unique rule holds for a row the admin writes: the blind index is the key.
    await expect(
      sql(`INSERT INTO users (${columns}) VALUES (?, ?, ?)`, [
        ...storage.values('MADE-in-admin@prokov.test'),
        hash,
      ]),
    ).rejects.toThrow(/UNIQUE|Duplicate/i);
  });
});
