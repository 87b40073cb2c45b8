import { SogomsError } from '@sogoms/common';
import { ConfigError } from '@sogoms/config';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewAppRequest } from './new-app-request.js';
import { validateNewAppRequest } from './new-app-request.validator.js';

const valid = (): NewAppRequest => ({
  name: 'shop',
  hosts: ['shop.test'],
  basePath: '/api',
  database: {
    driver: 'mariadb',
    host: 'db.internal',
    port: 3306,
    user: 'shop',
    password: 'pw',
    name: 'shop_db',
  },
});

const mariadb = (over: Record<string, unknown>): NewAppRequest['database'] => ({
  ...valid().database,
  ...over,
});

describe('validateNewAppRequest', () => {
  let fx: ConfigFixture;
  beforeEach(() => {
    fx = createConfigFixture();
  });
  afterEach(() => fx.remove());

  const failure = (request: NewAppRequest): SogomsError => {
    try {
      validateNewAppRequest(fx.root, request);
    } catch (error) {
      expect(error).toBeInstanceOf(SogomsError);
      return error as SogomsError;
    }
    throw new Error('expected the request to be refused');
  };

  it('accepts a valid request, with or without the optional values', () => {
    expect(() => validateNewAppRequest(fx.root, valid())).not.toThrow();
    expect(() =>
      validateNewAppRequest(fx.root, {
        ...valid(),
        version: '2.0.0-beta.1',
        jwtSecret: 'y'.repeat(32),
        jwtExpiresIn: '7d',
        authTable: 'customers',
        database: { driver: 'sqlite', file: '/srv/shop.db', name: 'shop' },
      }),
    ).not.toThrow();
  });

  it('refuses each bad value with VALIDATION_FAILED naming its field', () => {
    const cases: [Partial<NewAppRequest>, string, RegExp][] = [
      [{ name: 'Shop' }, 'name', /^"Shop" must match \[a-z\]/],
      [{ version: '1 0' }, 'version', /is not a version/],
      [{ hosts: [] }, 'hosts', /at least one host/],
      [{ hosts: ['http://shop.test'] }, 'hosts', /is not a host name or IP address/],
      [{ hosts: ['shop.test', 'SHOP.test'] }, 'hosts', /"shop.test" is listed twice/],
      [{ basePath: '/api/' }, 'basePath', /must start with \/ and have no trailing slash/],
      [{ database: mariadb({ host: '' }) }, 'database.host', /host name or IP address/],
      [{ database: mariadb({ port: 70000 }) }, 'database.port', /1 to 65535/],
      [{ database: mariadb({ user: '' }) }, 'database.user', /database user/],
      [{ database: mariadb({ password: ' pw' }) }, 'database.password', /password_file cannot keep/],
      [{ database: mariadb({ name: 'shop-db' }) }, 'database.name', /must match/],
      [{ database: { driver: 'sqlite', file: 'shop.db', name: 'shop' } }, 'database.file', /absolute path/],
      [{ jwtSecret: 'short' }, 'jwtSecret', /at least 32 characters/],
      [{ jwtSecret: ` ${'y'.repeat(32)}` }, 'jwtSecret', /must not start or end with a space/],
      [{ jwtExpiresIn: '15 minutes' }, 'jwtExpiresIn', /is not a duration/],
      [{ jwtExpiresIn: '0m' }, 'jwtExpiresIn', /is not a duration/],
      [{ authTable: 'users; DROP' }, 'authTable', /is not a table name SOGOMS accepts/],
    ];
    for (const [over, field, message] of cases) {
      const error = failure({ ...valid(), ...over });
      expect({ code: error.code, details: error.details }, field).toEqual({
        code: 'VALIDATION_FAILED',
        details: { field },
      });
      expect(error.message, field).toMatch(message);
    }
  });

  it('refuses a taken name or host with CONFLICT, after the values are fine', () => {
    fx.app('shop', { hosts: ['other.test'] });
    fx.app('blog', { hosts: ['blog.test'] });
    const name = failure(valid());
    expect({ code: name.code, details: name.details }).toEqual({
      code: 'CONFLICT',
      details: { field: 'name' },
    });
    expect(name.message).toBe('config/apps/shop already exists: choose another name or remove that folder');
    const host = failure({ ...valid(), name: 'store', hosts: ['Blog.Test'] });
    expect({ code: host.code, details: host.details }).toEqual({
      code: 'CONFLICT',
      details: { field: 'hosts' },
    });
    expect(host.message).toBe("host blog.test is already served by app 'blog'");
  });

  it('lets a configuration that does not load as it is throw its ConfigError', () => {
    fx.app('blog', 'name: [unclosed');
    expect(() => validateNewAppRequest(fx.root, valid())).toThrow(ConfigError);
  });
});
