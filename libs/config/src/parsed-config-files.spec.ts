import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadAppConfigs, loadConfig } from './config.loader.js';
import { PARSED_CONFIG_ENV, ParsedConfigFiles, parsedConfigPath } from './parsed-config-files.js';
import { createConfigFixture, type ConfigFixture } from './testing/config.fixture.js';

interface StoredCache {
  yaml: string;
  files: Record<string, { text: string; data: Record<string, unknown> }>;
}

describe('ParsedConfigFiles (the supervisor parses, its services reuse)', () => {
  let fx: ConfigFixture;
  let cachePath: string;
  let env: Record<string, string>;
  beforeEach(() => {
    fx = createConfigFixture();
    fx.app('shop', { version: '1.0.0' });
    fx.app('blog');
    cachePath = parsedConfigPath(join(fx.root, '../run'));
    env = { [PARSED_CONFIG_ENV]: cachePath };
  });
  afterEach(() => fx.remove());

  /** What the supervisor does: parse every file into an empty cache and save it. */
  const writeCache = (): void => {
    const parsedFiles = new ParsedConfigFiles();
    loadConfig(fx.root, { parsedFiles, env: {} });
    expect(parsedFiles.save(cachePath)).toBe(true);
  };
  const stored = (): StoredCache => JSON.parse(readFileSync(cachePath, 'utf8')) as StoredCache;
  const appFile = (name: string): string => join(fx.root, 'apps', name, 'app.yaml');

  it('keeps every file read, readable by its owner only, and reads the same config back', () => {
    writeCache();
    expect(Object.keys(stored().files).sort()).toEqual([appFile('blog'), appFile('shop')]);
    expect(statSync(cachePath).mode & 0o777).toBe(0o600);
    expect(loadConfig(fx.root, { env })).toEqual(loadConfig(fx.root, { env: {} }));
  });

  it('takes the data of a file whose text is unchanged from the cache, and parses a changed one', () => {
    writeCache();
    // A cached reading that differs from the file shows which one the loader used.
    const cache = stored();
    cache.files[appFile('shop')].data.version = '9.9.9';
    cache.files[appFile('blog')].data.version = '9.9.9';
    writeFileSync(cachePath, JSON.stringify(cache));
    fx.app('blog', { version: '2.0.0' });
    const apps = loadAppConfigs(fx.root, { env });
    expect(apps.map((app) => [app.name, app.version])).toEqual([
      ['blog', '2.0.0'],
      ['shop', '9.9.9'],
    ]);
  });

  it('validates cached data with the reader’s own environment, naming the line of a problem', () => {
    fx.app('shop', { auth: { jwt_secret: undefined, jwt_secret_env: 'SHOP_JWT' } });
    const parsedFiles = new ParsedConfigFiles();
    loadConfig(fx.root, { parsedFiles, env: { SHOP_JWT: 'a-secret-of-the-supervisor-0123456789abcdef' } });
    parsedFiles.save(cachePath);
    let problem: unknown;
    try {
      loadAppConfigs(fx.root, { env });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problem = error.problems[0];
    }
    expect(problem).toMatchObject({
      file: 'config/apps/shop/app.yaml',
      key: 'auth.jwt_secret_env',
      line: expect.any(Number) as number,
    });
  });

  it('ignores a cache of another yaml version, and a missing or broken one', () => {
    writeCache();
    const cache = stored();
    cache.yaml = '0.0.1';
    cache.files[appFile('shop')].data.version = '9.9.9';
    writeFileSync(cachePath, JSON.stringify(cache));
    expect(loadAppConfigs(fx.root, { env }).find((app) => app.name === 'shop')?.version).toBe('1.0.0');
    writeFileSync(cachePath, '{not json');
    expect(loadAppConfigs(fx.root, { env })).toHaveLength(2);
    expect(
      loadAppConfigs(fx.root, { env: { [PARSED_CONFIG_ENV]: join(fx.root, 'none.json') } }),
    ).toHaveLength(2);
  });

  it('leaves out data JSON would change', () => {
    const parsedFiles = new ParsedConfigFiles();
    parsedFiles.remember('/a.yaml', 'x: .inf', { x: Infinity });
    parsedFiles.remember('/b.yaml', 'x: 1', { x: 1 });
    expect(parsedFiles.lookup('/a.yaml', 'x: .inf')).toBeUndefined();
    expect(parsedFiles.lookup('/b.yaml', 'x: 1')).toEqual({ data: { x: 1 } });
    expect(parsedFiles.lookup('/b.yaml', 'x: 2')).toBeUndefined();
  });
});
