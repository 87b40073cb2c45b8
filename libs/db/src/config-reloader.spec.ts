import { rmSync } from 'node:fs';
import { loadConfig } from '@sogoms/config';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigReloader } from './config-reloader.js';
import { DatabaseInitializer } from './database-initializer.js';
import { DbCounters } from './db-counters.js';
import { dbSettingsFrom } from './db-settings.js';
import { DbService } from './db.service.js';
import { PoolRegistry } from './pool-registry.js';
import {
  adminConnection,
  dropDatabases,
  MARIADB,
  RecordedLogs,
  testDatabaseName,
} from './testing/db-test-kit.js';

const DB_A = testDatabaseName('reload_a');
const DB_B = testDatabaseName('reload_b');

const databaseYaml = (name: string, poolSize = 2) => ({
  database: {
    name,
    host: MARIADB.host,
    port: MARIADB.port,
    user: MARIADB.user,
    password: MARIADB.password,
    pool_size: poolSize,
  },
});

describe('reload (SIGHUP): pools follow the configuration', () => {
  let fixture: ConfigFixture;
  let registry: PoolRegistry;
  let service: DbService;
  let reloader: ConfigReloader;
  let logs: RecordedLogs;

  const whoAmI = (app: string) => service.queryOne({ app, sql: 'SELECT DATABASE() AS db' });

  beforeAll(async () => {
    const admin = await adminConnection();
    await admin.query(`CREATE DATABASE ${DB_A}; CREATE DATABASE ${DB_B}`);
    await admin.end();
    fixture = createConfigFixture();
    fixture.global({ db: { slow_query_ms: 1000 } });
    fixture.app('alpha', databaseYaml(DB_A));
    const config = loadConfig(fixture.root);
    logs = new RecordedLogs();
    registry = new PoolRegistry(dbSettingsFrom(config.global), new DatabaseInitializer(), logs.reporter);
    await registry.apply(dbSettingsFrom(config.global), config.apps);
    service = new DbService(registry, new DbCounters(), logs.reporter);
    reloader = new ConfigReloader(fixture.root, registry, logs.reporter);
  });

  afterAll(async () => {
    await registry?.close();
    fixture?.remove();
    await dropDatabases([DB_A, DB_B]);
  });

  it('adds a pool for a new app', async () => {
    fixture.app('beta', databaseYaml(DB_B));
    expect(await reloader.reload()).toEqual({ added: ['beta'], removed: [], recreated: [] });
    expect(await whoAmI('beta')).toEqual({ db: DB_B });
    expect(service.stats().apps).toEqual(['alpha', 'beta']);
  });

  it('recreates a changed pool; a statement in flight on the old one still completes', async () => {
    const before = registry.get('alpha');
    const inFlight = service.query({ app: 'alpha', sql: 'SELECT SLEEP(0.5) AS s, DATABASE() AS db' });
    fixture.app('alpha', databaseYaml(DB_A, 3));
    expect(await reloader.reload()).toEqual({ added: [], removed: [], recreated: ['alpha'] });
    expect(await inFlight).toEqual([{ s: 0, db: DB_A }]);
    expect(registry.get('alpha')).not.toBe(before);
    expect(before.state).toBe('closed');
    expect(registry.get('alpha').settings.poolSize).toBe(3);
    expect(await whoAmI('alpha')).toEqual({ db: DB_A });
  });

  it('leaves an unchanged pool alone', async () => {
    const before = registry.get('alpha');
    expect(await reloader.reload()).toEqual({ added: [], removed: [], recreated: [] });
    expect(registry.get('alpha')).toBe(before);
  });

  it('closes the pool of a removed app: its calls get NOT_FOUND', async () => {
    const beta = registry.get('beta');
    rmSync(`${fixture.root}/apps/beta`, { recursive: true, force: true });
    expect(await reloader.reload()).toEqual({ added: [], removed: ['beta'], recreated: [] });
    expect(beta.state).toBe('closed');
    await expect(whoAmI('beta')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a configuration that does not load keeps the running pools', async () => {
    fixture.app('alpha', 'name: alpha\nhosts: [not closed\n');
    expect(await reloader.reload()).toBeNull();
    expect(logs.ofKind('config_reload_failed')).toHaveLength(1);
    expect(await whoAmI('alpha')).toEqual({ db: DB_A });
    fixture.app('alpha', databaseYaml(DB_A, 3));
  });
});
