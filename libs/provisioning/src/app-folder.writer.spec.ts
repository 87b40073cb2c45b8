import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@sogoms/config';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAppFolder, type NewApp } from './app-folder.writer.js';

const shop = (over: Partial<NewApp> = {}): NewApp => ({
  name: 'shop',
  version: '2.1.0',
  hosts: ['shop.test', 'www.shop.test'],
  basePath: '/v1',
  database: {
    driver: 'mariadb',
    host: 'db.internal',
    port: 3307,
    user: 'shop',
    password: 's3cret pass',
    name: 'shop_db',
  },
  auth: {
    usersTable: 'customers',
    idField: 'customer_id',
    loginField: 'email',
    passwordField: 'password',
    roleField: null,
  },
  jwtSecret: randomBytes(48).toString('base64url'),
  jwtExpiresIn: '15m',
  ...over,
});

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('writeAppFolder', () => {
  let fixture: ConfigFixture;
  beforeEach(() => {
    fixture = createConfigFixture();
  });
  afterEach(() => fixture.remove());

  it('writes an app.yaml that loads, with its secrets in files of mode 600', () => {
    const written = writeAppFolder(fixture.root, shop(), 'version: 1\ntables: {}\n');
    expect(mode(join(written.dir, 'secrets'))).toBe(0o700);
    expect(mode(written.jwtSecretFile)).toBe(0o600);
    expect(mode(written.passwordFile!)).toBe(0o600);
    expect(readFileSync(written.schemaYaml, 'utf8')).toBe('version: 1\ntables: {}\n');
    const yaml = readFileSync(written.appYaml, 'utf8');
    expect(yaml).not.toContain('s3cret');
    expect(yaml).toContain('jwt_secret_file: apps/shop/secrets/jwt_secret');
    // The account mails ship with the app, the same files as the demo's.
    for (const file of ['password-reset.yaml', 'verify-email.yaml'])
      expect(readFileSync(join(written.dir, 'emails', file), 'utf8')).toBe(
        readFileSync(join(import.meta.dirname, '../../../config/apps/prokov/emails', file), 'utf8'),
      );

    const [app] = loadConfig(fixture.root).apps;
    expect(app).toMatchObject({
      name: 'shop',
      version: '2.1.0',
      hosts: ['shop.test', 'www.shop.test'],
      basePath: '/v1',
      database: { host: 'db.internal', port: 3307, user: 'shop', password: 's3cret pass', name: 'shop_db' },
      auth: {
        usersTable: 'customers',
        idField: 'customer_id',
        loginField: 'email',
        passwordField: 'password',
        roleField: null,
        jwtExpiresInS: 15 * 60,
      },
    });
    expect(app.auth.jwtSecret).toBe(readFileSync(written.jwtSecretFile, 'utf8').trim());
  });

  it('writes the secret and token expiry it is given, and no password file for an empty password', () => {
    const a = writeAppFolder(fixture.root, shop(), '');
    const b = writeAppFolder(
      fixture.root,
      shop({
        name: 'blog',
        hosts: ['blog.test'],
        jwtSecret: 'a typed secret of more than 32 characters',
        jwtExpiresIn: '2h',
        database: {
          driver: 'mariadb',
          host: 'db.internal',
          port: 3307,
          user: 'shop',
          password: '',
          name: 'x',
        },
      }),
      '',
    );
    expect(b.passwordFile).toBeNull();
    expect(readFileSync(a.jwtSecretFile, 'utf8')).not.toBe(readFileSync(b.jwtSecretFile, 'utf8'));
    const apps = loadConfig(fixture.root).apps;
    expect(apps.map((app) => app.database.password)).toEqual(['', 's3cret pass']);
    expect(apps[0].auth).toMatchObject({
      jwtSecret: 'a typed secret of more than 32 characters',
      jwtExpiresInS: 2 * 3600,
    });
  });

  it('writes an SQLite database as driver and file, the file relative to the config root', () => {
    const file = join(fixture.root, 'data/shop.db');
    const written = writeAppFolder(
      fixture.root,
      shop({ database: { driver: 'sqlite', file, name: 'shop' } }),
      '',
    );
    expect(written.passwordFile).toBeNull();
    expect(readFileSync(written.appYaml, 'utf8')).toContain(
      'database:\n  driver: sqlite\n  file: data/shop.db\n',
    );
    expect(loadConfig(fixture.root).apps[0].database).toMatchObject({ driver: 'sqlite', file, name: 'shop' });
  });

  it('never writes into an existing folder, and leaves it untouched', () => {
    const dir = join(fixture.root, 'apps/shop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expect(() => writeAppFolder(fixture.root, shop(), '')).toThrow(/EEXIST/);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(dir, 'app.yaml'))).toBe(false);
  });

  it('removes what it wrote when a write fails', () => {
    // A schema text that is no string makes the write of schema.yaml fail after the secrets.
    expect(() => writeAppFolder(fixture.root, shop(), undefined as unknown as string)).toThrow();
    expect(existsSync(join(fixture.root, 'apps/shop'))).toBe(false);
    expect(existsSync(join(fixture.root, 'apps'))).toBe(true);
  });
});
