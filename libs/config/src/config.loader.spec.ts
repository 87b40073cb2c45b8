import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { createConfigFixture, type ConfigFixture } from './testing/config.fixture.js';
import { AUTH_DEFAULTS } from './testing/auth-defaults.js';
import { loadAppConfigs, loadConfig, loadGlobalConfig } from './config.loader.js';

const configErrorOf = (load: () => unknown): ConfigError => {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
};

describe('loadGlobalConfig', () => {
  let fx: ConfigFixture;
  beforeEach(() => (fx = createConfigFixture()));
  afterEach(() => fx.remove());

  it('uses every default when sogoms.yaml is absent', () => {
    const global = loadGlobalConfig(fx.root);
    expect(global).toEqual({
      root: fx.root,
      runDir: resolve(fx.root, '../run'),
      logDir: resolve(fx.root, '../logs'),
      transport: { kind: 'unix' },
      ipc: { timeoutMs: 5000, maxFrameBytes: 16 * 1024 * 1024 },
      logLevel: 'info',
      gateway: {
        host: '0.0.0.0',
        port: 8080,
        bodyLimitBytes: 1024 * 1024,
        requestLogPercent: 0,
        trustProxy: [],
        rateLimit: { enabled: false, requests: 600, windowS: 60 },
      },
      admin: { host: '0.0.0.0', port: 9000, sessionIdleS: 1800, sessionAbsoluteS: 43200, trustProxy: [] },
      push: {
        broker: 'embedded',
        host: '0.0.0.0',
        port: 1884,
        wsPort: 9001,
        retentionHours: 24,
        external: null,
      },
      db: { slowQueryMs: 500, maxConnections: null, acquireTimeoutMs: 2000, maxWaiting: 1000 },
      metrics: { enabled: true, host: '127.0.0.1', port: 9464, reportIntervalMs: 5000 },
    });
  });

  it('names a trusted proxy that is not an address', () => {
    fx.global({ gateway: { trust_proxy: ['127.0.0.1', 'proxy.local'] } });
    expect(() => loadGlobalConfig(fx.root)).toThrow(
      /gateway\.trust_proxy\[1\]: expected an IP address or CIDR of a proxy \(e\.g\. 127\.0\.0\.1 or 10\.0\.0\.0\/8\), got "proxy\.local"/,
    );
  });

  it('reads values, resolving run_dir and log_dir against the config root', () => {
    fx.global({
      run_dir: 'sockets',
      log_dir: '/var/log/sogoms',
      transport: { kind: 'nats', servers: ['nats://127.0.0.1:4222'] },
      ipc: { timeout_ms: 250 },
      gateway: { port: 0 },
    });
    const global = loadGlobalConfig(fx.root);
    expect(global.runDir).toBe(resolve(fx.root, 'sockets'));
    expect(global.logDir).toBe('/var/log/sogoms');
    expect(global.transport).toEqual({ kind: 'nats', servers: ['nats://127.0.0.1:4222'] });
    expect(global.ipc).toEqual({ timeoutMs: 250, maxFrameBytes: 16 * 1024 * 1024 });
    expect(global.gateway.port).toBe(0);
  });

  it('reads an empty sogoms.yaml as all defaults', () => {
    fx.global('# nothing set\n');
    expect(loadGlobalConfig(fx.root).gateway.port).toBe(8080);
  });

  it('requires nats servers and rejects unknown transports', () => {
    fx.global({ transport: { kind: 'nats' } });
    const nats = configErrorOf(() => loadGlobalConfig(fx.root));
    expect(nats.problems).toEqual([
      expect.objectContaining({ file: 'config/sogoms.yaml', key: 'transport.servers', got: 'nothing' }),
    ]);
    fx.global({ transport: { kind: 'carrier-pigeon' } });
    const kind = configErrorOf(() => loadGlobalConfig(fx.root));
    expect(kind.message).toContain(
      'config/sogoms.yaml:2: transport.kind: expected one of unix, inprocess, nats, got "carrier-pigeon"',
    );
  });

  it('rejects unknown keys, suggesting the key a typo meant', () => {
    fx.global({ gateway: { prot: 8081 }, colour: 'blue' });
    const error = configErrorOf(() => loadGlobalConfig(fx.root));
    expect(error.problems.map((p) => p.key)).toEqual(['colour', 'gateway.prot']);
    expect(error.message).toContain(
      'gateway.prot: expected one of host, port, body_limit_bytes, request_log_percent, trust_proxy, rate_limit (did you mean port?), got an unknown key',
    );
  });

  it('rejects values of the wrong type or range, listing all problems of the file', () => {
    fx.global({ ipc: { timeout_ms: 'soon', max_frame_bytes: 10 }, admin: { port: 70000 } });
    const error = configErrorOf(() => loadGlobalConfig(fx.root));
    expect(error.message.split('\n')).toEqual([
      'Invalid configuration (3 problems):',
      'config/sogoms.yaml:2: ipc.timeout_ms: expected an integer of at least 1, got "soon"',
      'config/sogoms.yaml:3: ipc.max_frame_bytes: expected an integer of at least 1024, got 10',
      'config/sogoms.yaml:5: admin.port: expected an integer from 0 to 65535, got 70000',
    ]);
  });

  it('names file and line of a YAML syntax error', () => {
    fx.global('gateway:\n  port: 8080\n  host: [unclosed\n');
    const error = configErrorOf(() => loadGlobalConfig(fx.root));
    expect(error.problems[0]).toMatchObject({
      file: 'config/sogoms.yaml',
      key: '(yaml)',
      expected: 'valid YAML',
    });
    expect(error.problems[0].line).toBeGreaterThanOrEqual(3);
  });

  it('rejects a duplicate key as a YAML error', () => {
    fx.global('gateway:\n  port: 1\n  port: 2\n');
    const error = configErrorOf(() => loadGlobalConfig(fx.root));
    expect(error.problems[0]).toMatchObject({ file: 'config/sogoms.yaml', line: 3, key: '(yaml)' });
  });

  it('fails when the config root does not exist', () => {
    const error = configErrorOf(() => loadGlobalConfig(`${fx.root}/nope`));
    expect(error.problems[0]).toMatchObject({ key: '(config root)', expected: 'an existing folder' });
  });
});

describe('loadAppConfigs', () => {
  let fx: ConfigFixture;
  beforeEach(() => (fx = createConfigFixture()));
  afterEach(() => fx.remove());

  it('fills in defaults for a minimal app', () => {
    fx.app('shop');
    const [shop] = loadAppConfigs(fx.root);
    expect(shop).toEqual({
      name: 'shop',
      version: '0.0.0',
      hosts: ['shop.localhost'],
      basePath: '/api',
      dir: resolve(fx.root, 'apps/shop'),
      database: {
        driver: 'mariadb',
        file: null,
        fallback: null,
        host: '127.0.0.1',
        port: 3306,
        user: 'root',
        password: '',
        name: 'shop_db',
        poolSize: 10,
        init: [],
      },
      auth: {
        jwtSecret: 'shop-test-secret-0123456789abcdef-0123456789',
        jwtExpiresInS: 7 * 86400,
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
      imap: null,
      push: null,
      timezone: 'UTC',
    });
  });

  it('reads every app folder with an app.yaml, sorted, and ignores the others', () => {
    fx.app('zeta');
    fx.app('alpha');
    fx.write('apps/notes/README.md', 'no app here');
    expect(loadAppConfigs(fx.root).map((a) => a.name)).toEqual(['alpha', 'zeta']);
  });

  it('returns no apps when there is no apps folder', () => {
    expect(loadAppConfigs(fx.root)).toEqual([]);
  });

  it('resolves database.init against the app folder and requires the files to exist', () => {
    fx.write('apps/shop/sql/schema.sql', 'CREATE TABLE t (id INT);');
    fx.app('shop', { database: { init: ['sql/schema.sql'] } });
    expect(loadAppConfigs(fx.root)[0].database.init).toEqual([resolve(fx.root, 'apps/shop/sql/schema.sql')]);

    fx.app('shop', { database: { init: ['sql/schema.sql', 'sql/seed.sql'] } });
    const error = configErrorOf(() => loadAppConfigs(fx.root));
    expect(error.message).toContain(
      'config/apps/shop/app.yaml:8: database.init[1]: expected an existing file (relative to this file), got "sql/seed.sql" (no such file)',
    );
  });

  it('reads an SQLite database: file relative to the config root, name from the file', () => {
    fx.app('shop', { database: { driver: 'sqlite', name: undefined, file: 'var/shop.sqlite' } });
    const [shop] = loadAppConfigs(fx.root);
    expect(shop.database).toMatchObject({
      driver: 'sqlite',
      file: resolve(fx.root, 'var/shop.sqlite'),
      name: 'shop',
    });

    fx.app('shop', { database: { driver: 'sqlite', name: undefined } });
    expect(configErrorOf(() => loadAppConfigs(fx.root)).problems).toMatchObject([
      { key: 'database.file', got: 'nothing' },
    ]);
    fx.app('shop', { database: { driver: 'postgres' } });
    expect(configErrorOf(() => loadAppConfigs(fx.root)).problems).toMatchObject([
      { key: 'database.driver', expected: 'one of mariadb, sqlite', got: '"postgres"' },
    ]);
  });

  it('reads a declared fallback and uses it only where sogoctl decided so', () => {
    fx.write('apps/shop/sql/lite.sql', 'CREATE TABLE t (id INTEGER);');
    fx.app('shop', {
      database: { fallback: { driver: 'sqlite', file: '../var/shop.sqlite', init: ['sql/lite.sql'] } },
    });
    const [primary] = loadAppConfigs(fx.root);
    expect(primary.database).toMatchObject({
      driver: 'mariadb',
      name: 'shop_db',
      fallback: { driver: 'sqlite', file: resolve(fx.root, '../var/shop.sqlite') },
    });
    expect(primary.database.onFallback).toBeUndefined();
    const env = { SOGOMS_DB_FALLBACK: JSON.stringify({ shop: 'connection refused', other: 'x' }) };
    const [fallback] = loadAppConfigs(fx.root, { env });
    expect(fallback.database).toMatchObject({
      driver: 'sqlite',
      file: resolve(fx.root, '../var/shop.sqlite'),
      name: 'shop',
      init: [resolve(fx.root, 'apps/shop/sql/lite.sql')],
      onFallback: { reason: 'connection refused' },
    });
    // Unreadable decisions change nothing.
    expect(loadAppConfigs(fx.root, { env: { SOGOMS_DB_FALLBACK: '{' } })[0].database.driver).toBe('mariadb');
    fx.app('shop', { database: { fallback: { driver: 'postgres', file: 'x' } } });
    expect(configErrorOf(() => loadAppConfigs(fx.root)).problems).toMatchObject([
      { key: 'database.fallback.driver', got: '"postgres"' },
    ]);
  });

  it('converts durations, nulls and lower-cases hosts', () => {
    fx.app('shop', {
      hosts: ['Shop.Example.COM.', '127.0.0.1', '[::1]'],
      auth: { jwt_expires_in: '15m', role_field: null },
    });
    const [shop] = loadAppConfigs(fx.root);
    expect(shop.hosts).toEqual(['shop.example.com', '127.0.0.1', '[::1]']);
    expect(shop.auth.jwtExpiresInS).toBe(900);
    expect(shop.auth.roleField).toBeNull();

    fx.app('shop', { auth: { jwt_expires_in: 3600 } });
    expect(loadAppConfigs(fx.root)[0].auth.jwtExpiresInS).toBe(3600);
    fx.app('shop', { auth: { jwt_expires_in: 'forever' } });
    expect(configErrorOf(() => loadAppConfigs(fx.root)).problems[0]).toMatchObject({
      key: 'auth.jwt_expires_in',
      got: '"forever"',
    });
  });

  it('says a short jwt_secret is too short without showing it', () => {
    fx.app('shop', { auth: { jwt_secret: 'short-secret' } });
    const error = configErrorOf(() => loadAppConfigs(fx.root));
    expect(error.problems).toEqual([
      {
        file: 'config/apps/shop/app.yaml',
        line: 7,
        key: 'auth.jwt_secret',
        expected: 'a string of at least 32 characters',
        got: '12 characters',
      },
    ]);
    expect(error.message).toContain(
      'config/apps/shop/app.yaml:7: auth.jwt_secret: expected a string of at least 32 characters, got 12 characters',
    );
    expect(error.message).not.toContain('short-secret');
  });

  it('lists every missing required key', () => {
    fx.app('shop', { database: { name: undefined }, auth: { jwt_secret: undefined } });
    const error = configErrorOf(() => loadAppConfigs(fx.root));
    expect(error.problems.map((p) => `${p.key}: ${p.got}`)).toEqual([
      'database.name: nothing',
      'auth.jwt_secret: nothing',
    ]);
    expect(error.message).toContain('database.name: expected a database name');
  });

  it('rejects unknown keys in app.yaml', () => {
    fx.app('shop', { auth: { jwt_secrte: 'x' } });
    const error = configErrorOf(() => loadAppConfigs(fx.root));
    expect(error.problems[0]).toMatchObject({
      file: 'config/apps/shop/app.yaml',
      key: 'auth.jwt_secrte',
      got: 'an unknown key',
    });
    expect(error.problems[0].expected).toContain('did you mean jwt_secret?');
  });

  it('requires name to equal the folder name', () => {
    fx.app('shop', { name: 'store' });
    const error = configErrorOf(() => loadAppConfigs(fx.root));
    expect(error.message).toContain(
      'config/apps/shop/app.yaml:1: name: expected the app\'s folder name "shop", got "store"',
    );
  });

  it('rejects a host with a port', () => {
    fx.app('shop', { hosts: ['shop.localhost:8080'] });
    const error = configErrorOf(() => loadAppConfigs(fx.root));
    expect(error.problems[0]).toMatchObject({
      key: 'hosts[0]',
      got: '"shop.localhost:8080" (a port is not allowed here)',
    });
  });

  it('rejects a host that two apps claim, naming both', () => {
    fx.app('alpha', { hosts: ['alpha.localhost', 'localhost'] });
    fx.app('beta', { hosts: ['LOCALHOST'] });
    const error = configErrorOf(() => loadAppConfigs(fx.root));
    expect(error.problems).toHaveLength(1);
    expect(error.message).toContain(
      'config/apps/beta/app.yaml:3: hosts[0]: expected a host that no other app uses (app "beta"), got "localhost", a host of app "alpha" (config/apps/alpha/app.yaml) too',
    );
  });

  it('rejects a repeated host within one app', () => {
    fx.app('shop', { hosts: ['shop.localhost', 'Shop.localhost'] });
    expect(configErrorOf(() => loadAppConfigs(fx.root)).problems[0]).toMatchObject({ key: 'hosts[1]' });
  });

  it('asks to quote numbers meant as strings', () => {
    fx.app('shop', { version: 2, database: { port: 'default' } });
    const error = configErrorOf(() => loadAppConfigs(fx.root));
    expect(error.problems.map((p) => [p.key, p.got])).toEqual([
      ['version', 'number 2 (quote it to make it a string)'],
      ['database.port', '"default"'],
    ]);
  });

  it('collects problems of every file into one error', () => {
    fx.global({ gateway: { port: -1 } });
    fx.app('alpha', { base_path: 'api/' });
    fx.app('beta', { logs: { retention_days: 0 } });
    const error = configErrorOf(() => loadConfig(fx.root));
    expect(error.problems.map((p) => `${p.file} ${p.key}`)).toEqual([
      'config/sogoms.yaml gateway.port',
      'config/apps/alpha/app.yaml base_path',
      'config/apps/beta/app.yaml logs.retention_days',
    ]);
  });

  it('loads global and apps together', () => {
    fx.app('shop');
    const { global, apps } = loadConfig(fx.root);
    expect(global.root).toBe(fx.root);
    expect(apps.map((a) => a.name)).toEqual(['shop']);
  });
});

describe('secrets and values from files and the environment', () => {
  let fx: ConfigFixture;
  beforeEach(() => (fx = createConfigFixture()));
  afterEach(() => fx.remove());

  const SECRET_FROM_FILE = 'file-secret-0123456789abcdef-0123456789';
  const SECRET_FROM_ENV = 'env-secret-0123456789abcdef-0123456789';

  it('reads <key>_file relative to the config root, trimmed', () => {
    fx.write('secrets/shop.jwt', `  ${SECRET_FROM_FILE}\n`);
    fx.app('shop', { auth: { jwt_secret: undefined, jwt_secret_file: 'secrets/shop.jwt' } });
    expect(loadAppConfigs(fx.root)[0].auth.jwtSecret).toBe(SECRET_FROM_FILE);
  });

  it('prefers a set <key>_env over <key>_file over the inline value', () => {
    fx.write('secrets/shop.jwt', SECRET_FROM_FILE);
    fx.app('shop', { auth: { jwt_secret_file: 'secrets/shop.jwt', jwt_secret_env: 'SHOP_JWT' } });
    const read = (env: Record<string, string>) => loadAppConfigs(fx.root, { env })[0].auth.jwtSecret;
    expect(read({ SHOP_JWT: SECRET_FROM_ENV })).toBe(SECRET_FROM_ENV);
    expect(read({})).toBe(SECRET_FROM_FILE);

    fx.app('shop', { auth: { jwt_secret_env: 'SHOP_JWT' } });
    expect(read({})).toBe('shop-test-secret-0123456789abcdef-0123456789');
  });

  it('converts numbers from the environment', () => {
    fx.app('shop', { database: { port_env: 'SHOP_DB_PORT', password_env: 'SHOP_DB_PASSWORD' } });
    const [shop] = loadAppConfigs(fx.root, { env: { SHOP_DB_PORT: '3307', SHOP_DB_PASSWORD: '' } });
    expect(shop.database.port).toBe(3307);
    expect(shop.database.password).toBe('');

    const error = configErrorOf(() =>
      loadAppConfigs(fx.root, { env: { SHOP_DB_PORT: 'abc', SHOP_DB_PASSWORD: 'x' } }),
    );
    expect(error.problems[0]).toMatchObject({ key: 'database.port', got: '"abc" (from $SHOP_DB_PORT)' });
  });

  it('fails when <key>_env names an unset variable and nothing else is given', () => {
    fx.app('shop', { auth: { jwt_secret: undefined, jwt_secret_env: 'SHOP_JWT' } });
    const error = configErrorOf(() => loadAppConfigs(fx.root, { env: {} }));
    expect(error.problems).toEqual([
      expect.objectContaining({
        file: 'config/apps/shop/app.yaml',
        key: 'auth.jwt_secret_env',
        expected: 'environment variable SHOP_JWT to be set (no jwt_secret or jwt_secret_file given)',
      }),
    ]);
  });

  it('fails on a missing <key>_file', () => {
    fx.app('shop', { auth: { jwt_secret: undefined, jwt_secret_file: 'secrets/missing' } });
    const error = configErrorOf(() => loadAppConfigs(fx.root));
    expect(error.problems[0]).toMatchObject({
      key: 'auth.jwt_secret_file',
      got: '"secrets/missing" (ENOENT)',
    });
  });

  it('validates a value from a file like an inline one and says where it came from', () => {
    fx.write('secrets/short', 'too-short');
    fx.app('shop', { auth: { jwt_secret: undefined, jwt_secret_file: 'secrets/short' } });
    const error = configErrorOf(() => loadAppConfigs(fx.root));
    expect(error.message).toContain(
      'auth.jwt_secret: expected a string of at least 32 characters, got 9 characters (from jwt_secret_file "secrets/short")',
    );
    expect(error.message).not.toContain('too-short');
  });

  it('does not accept _file or _env for sections', () => {
    fx.app('shop', { logs_file: 'x' });
    expect(configErrorOf(() => loadAppConfigs(fx.root)).problems[0]).toMatchObject({ key: 'logs_file' });
  });
});
