import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, type AppConfig } from '@sogoms/config';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMailRules } from './mail-rules.loader.js';
import type { RuleAction } from './mail-rule.js';

const CONFIG = resolve(import.meta.dirname, '../../../../config');
/** The blind index encrypt-users.sql stores for demo@prokov.test (made with the demo keys). */
const DEMO_USER_INDEX = 'f0cfd1bb632ad373e13d70c6b9711225';

const shippedProkov = (): { app: AppConfig; root: string } => {
  const config = loadConfig(CONFIG, { env: {} });
  const app = config.apps.find((a) => a.name === 'prokov');
  if (app === undefined) throw new Error('no prokov in config/');
  return { app, root: config.global.root };
};

const createRow = (actions: readonly RuleAction[]): Extract<RuleAction, { do: 'create_row' }> => {
  const found = actions.find((a) => a.do === 'create_row');
  if (found?.do !== 'create_row') throw new Error('no create_row');
  return found;
};

describe('loadMailRules: owner: sender', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of the demo's folder whose schema.yaml is changed by `edit`. */
  const prokovWith = (edit: (schema: string) => string): AppConfig => {
    const { app } = shippedProkov();
    const dir = mkdtempSync(join(tmpdir(), 'sogoms-mailrules-'));
    dirs.push(dir);
    cpSync(app.dir, dir, { recursive: true });
    writeFileSync(join(dir, 'schema.yaml'), edit(readFileSync(join(app.dir, 'schema.yaml'), 'utf8')));
    return { ...app, dir };
  };

  it("finds prokov's users by the blind index of their encrypted email, as the gateway stores it", () => {
    const { app, root } = shippedProkov();
    const [rule] = loadMailRules(app, root, {});
    const lookup = createRow(rule.actions).senderLookup;
    expect(lookup).toMatchObject({ column: 'email_bidx', lowerCase: false });
    // The address as a mail header gives it: case and spaces do not matter to an email index.
    expect(lookup?.valueOf(' Demo@Prokov.TEST ')).toBe(DEMO_USER_INDEX);
    expect(lookup?.valueOf('admin@prokov.test')).not.toBe(DEMO_USER_INDEX);
  });

  it('compares a plain login column in lower case', () => {
    const app = prokovWith((schema) => schema.replace(/\n\s*(encrypted|searchable): true/g, ''));
    const [rule] = loadMailRules(app, CONFIG, {});
    const lookup = createRow(rule.actions).senderLookup;
    expect(lookup).toMatchObject({ column: 'email', lowerCase: true });
    expect(lookup?.valueOf('Demo@Prokov.test')).toBe('demo@prokov.test');
  });

  it('refuses at load an encrypted login whose keys file is missing', () => {
    const app = prokovWith((schema) => schema);
    rmSync(join(app.dir, 'secrets/crypt.keys'));
    expect(() => loadMailRules(app, CONFIG, {})).toThrow(/owner.*encrypted/s);
  });
});
