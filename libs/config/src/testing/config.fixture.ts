import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isRecord } from '@sogoms/common';
import { stringify } from 'yaml';

/** Plain YAML data: what a test writes into a config file. */
export type YamlData = { [key: string]: YamlValue };
type YamlValue = string | number | boolean | null | undefined | YamlValue[] | YamlData;

/**
 * A throw-away config root for tests: `{tmp}/config`, so messages show `config/...` paths.
 * Objects are written as YAML, strings verbatim (to test syntax errors).
 */
export interface ConfigFixture {
  /** Absolute path of the config root. */
  root: string;
  /** Writes `content` to `{root}/{relativePath}` and returns the absolute path. */
  write(relativePath: string, content: string | YamlData): string;
  /** Writes `apps/{name}/app.yaml`: a minimal valid app merged with `overrides` (undefined deletes a key). */
  app(name: string, overrides?: YamlData | string): string;
  /** Writes `sogoms.yaml`. */
  global(content: YamlData | string): string;
  remove(): void;
}

/** The smallest valid app.yaml for `name`. */
export const minimalApp = (name: string): YamlData => ({
  name,
  hosts: [`${name}.localhost`],
  database: { name: `${name.replace(/-/g, '_')}_db` },
  auth: { jwt_secret: `${name}-test-secret-0123456789abcdef-0123456789` },
});

const isData = (value: YamlValue): value is YamlData => isRecord(value);

/** Deep merge of plain mappings; `undefined` in `overrides` removes the key. */
export const mergeYamlData = (base: YamlData, overrides: YamlData): YamlData => {
  const out: YamlData = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = out[key];
    if (value === undefined) delete out[key];
    else if (isData(value) && current !== undefined && isData(current))
      out[key] = mergeYamlData(current, value);
    else out[key] = value;
  }
  return out;
};

export const createConfigFixture = (): ConfigFixture => {
  const base = mkdtempSync(join(tmpdir(), 'sogoms-config-'));
  const root = join(base, 'config');
  mkdirSync(root);
  const write = (relativePath: string, content: string | YamlData): string => {
    const file = join(root, relativePath);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : stringify(content));
    return file;
  };
  return {
    root,
    write,
    app: (name, overrides = {}) =>
      write(
        `apps/${name}/app.yaml`,
        typeof overrides === 'string' ? overrides : mergeYamlData(minimalApp(name), overrides),
      ),
    global: (content) => write('sogoms.yaml', content),
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
};
