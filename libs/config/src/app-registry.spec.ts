import { describe, expect, it } from 'vitest';
import { AppRegistry } from './app-registry.js';
import type { AppConfig } from './config.types.js';
import { AUTH_DEFAULTS } from './testing/auth-defaults.js';

const app = (name: string, hosts: string[]): AppConfig => ({
  name,
  version: '1.0.0',
  hosts,
  basePath: '/api',
  dir: `/config/apps/${name}`,
  database: {
    driver: 'mariadb',
    file: null,
    fallback: null,
    host: '127.0.0.1',
    port: 3306,
    user: 'root',
    password: '',
    name,
    poolSize: 10,
    init: [],
  },
  auth: {
    jwtSecret: 'x'.repeat(32),
    jwtExpiresInS: 3600,
    usersTable: 'users',
    idField: 'id',
    loginField: 'email',
    passwordField: 'password_hash',
    roleField: 'role',
    ...AUTH_DEFAULTS,
  },
  logs: { retentionDays: 14 },
  idempotency: { retentionS: 86400 },
  docs: 'private',
  modules: [],
  smtp: null,
  push: null,
  timezone: 'UTC',
  imap: null,
});

describe('AppRegistry', () => {
  const shop = app('shop', ['shop.example.com', 'localhost']);
  const blog = app('blog', ['blog.example.com', '127.0.0.1', '[::1]']);
  const registry = new AppRegistry([shop, blog]);

  it.each([
    ['shop.example.com', shop],
    ['SHOP.Example.com', shop],
    ['shop.example.com:8080', shop],
    ['shop.example.com.', shop],
    ['shop.example.com.:443', shop],
    [' localhost:80 ', shop],
    ['127.0.0.1:8080', blog],
    ['[::1]:8080', blog],
    ['[::1]', blog],
    ['::1', blog],
  ])('resolves %j', (header, expected) => {
    expect(registry.resolve(header)?.name).toBe(expected.name);
  });

  it.each([
    undefined,
    '',
    'other.example.com',
    'shop.example.com:port',
    '[::1',
    '[::1]x',
    'shop example.com',
    'a:b:c',
  ])('resolves %j to nothing', (header) => {
    expect(registry.resolve(header)).toBeUndefined();
  });

  it('finds apps by name and lists them in order', () => {
    expect(registry.get('blog')).toBe(blog);
    expect(registry.get('nope')).toBeUndefined();
    expect(registry.all().map((a) => a.name)).toEqual(['shop', 'blog']);
  });

  it('cannot be changed through what it returns', () => {
    expect(Object.isFrozen(registry.all())).toBe(true);
    const source = [shop];
    const own = new AppRegistry(source);
    source.push(blog);
    expect(own.all()).toHaveLength(1);
    expect(own.resolve('blog.example.com')).toBeUndefined();
  });

  it('refuses a host claimed by two apps', () => {
    expect(() => new AppRegistry([shop, app('other', ['localhost'])])).toThrow(
      'Host "localhost" belongs to apps "shop" and "other"',
    );
  });
});
