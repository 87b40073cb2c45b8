import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliFailure } from './cli-context.js';
import { parseDatabaseUrl, redactedUrl } from './database-url.js';

describe('parseDatabaseUrl', () => {
  it('reads every part, decoding user and password', () => {
    expect(parseDatabaseUrl('mysql://shop%40x:p%40ss%3Aw0rd@db.example:3307/shop_db')).toEqual({
      driver: 'mariadb',
      host: 'db.example',
      port: 3307,
      user: 'shop@x',
      password: 'p@ss:w0rd',
      name: 'shop_db',
    });
  });

  it('defaults port 3306, user root and an empty password; accepts mariadb:// and IPv6', () => {
    expect(parseDatabaseUrl('mariadb://127.0.0.1/x')).toEqual({
      driver: 'mariadb',
      host: '127.0.0.1',
      port: 3306,
      user: 'root',
      password: '',
      name: 'x',
    });
    expect(parseDatabaseUrl('mysql://u@[::1]:3306/x')).toMatchObject({ host: '::1' });
  });

  it.each([
    ['not a url', /is not a URL/],
    ['postgres://u@h/db', /must start with mysql:\/\//],
    ['sqlite:', /names no SQLite file/],
    ['sqlite:data/', /names no SQLite file/],
    ['sqlite:shop.db?mode=ro', /no \?options/],
    ['mysql://u@h:3306/', /no database name/],
    ['mysql://u@h/my-db', /must match/],
    ['mysql://u@h/db?ssl=true', /no \?options/],
    ['mysql://u:%zz@h/db', /password has a malformed/],
  ])('refuses %s in one line', (url, message) => {
    expect(() => parseDatabaseUrl(url)).toThrow(CliFailure);
    expect(() => parseDatabaseUrl(url)).toThrow(message);
  });

  it('reads sqlite:relative, sqlite:/absolute and sqlite:///absolute; the name is the basename', () => {
    expect(parseDatabaseUrl('sqlite:data/shop.db')).toEqual({
      driver: 'sqlite',
      file: resolve('data/shop.db'),
      name: 'shop',
    });
    expect(parseDatabaseUrl('sqlite:/srv/shop.sqlite3')).toEqual({
      driver: 'sqlite',
      file: '/srv/shop.sqlite3',
      name: 'shop',
    });
    const triple = parseDatabaseUrl('sqlite:///srv/shop.db');
    expect(triple).toMatchObject({ file: '/srv/shop.db' });
    expect(redactedUrl(triple)).toBe('sqlite:/srv/shop.db');
  });

  it('never repeats the password in an error or the redacted form', () => {
    expect(() => parseDatabaseUrl('mysql://u:s3cret@h/my-db')).toThrow(/^(?!.*s3cret)/);
    const db = parseDatabaseUrl('mysql://u:s3cret@h:3306/db');
    if (db.driver !== 'mariadb') throw new Error('a mariadb url');
    expect(redactedUrl(db)).toBe('mysql://u:***@h:3306/db');
    expect(redactedUrl({ ...db, password: '' })).toBe('mysql://u@h:3306/db');
  });
});
