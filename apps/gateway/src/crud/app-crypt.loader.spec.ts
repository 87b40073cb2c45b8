import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppConfig } from '@sogoms/config';
import { CRYPT_KEYS_FILE, createKeyringFile } from '@sogoms/crypt';
import { parseSchemaYaml } from '@sogoms/schema';
import { loadAppCrypt } from './app-crypt.loader.js';

const SCHEMA = parseSchemaYaml(
  `version: 1
tables:
  users:
    fields:
      id: { type: int, primary: true, auto: true }
      email: { type: string, length: 190, encrypted: true, searchable: true }
`,
  'schema.yaml',
).schema!;

describe('loadAppCrypt (the start-up check)', () => {
  let root: string;
  let app: AppConfig;
  let file: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sogoms-app-crypt-'));
    app = { name: 'shop', dir: join(root, 'config/apps/shop') } as AppConfig;
    file = join(app.dir, CRYPT_KEYS_FILE);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('loads nothing for a schema without encrypted fields, even without a keys file', () => {
    expect(loadAppCrypt(app, { version: 1, tables: [] }, root)).toBeNull();
  });

  it('loads the keys once they pass the check', () => {
    createKeyringFile(file, 'shop');
    expect(loadAppCrypt(app, SCHEMA, root)?.keyring.currentId).toBe('k1');
  });

  it("refuses to start without keys, with a wrong key or with another app's keys, naming the file", () => {
    expect(() => loadAppCrypt(app, SCHEMA, root)).toThrow(
      'config/apps/shop/secrets/crypt.keys: (keys): expected the field-encryption keys of app shop (schema.yaml encrypts fields; sogoms secrets generate shop makes them once), got cannot be read (ENOENT)',
    );
    createKeyringFile(file, 'other');
    expect(() => loadAppCrypt(app, SCHEMA, root)).toThrow(
      'got key k1 does not decrypt its check value: a wrong key, or the keys of another app than shop',
    );
    rmSync(file);
    createKeyringFile(file, 'shop');
    const body = JSON.parse(readFileSync(file, 'utf8')) as { keys: { k1: string } };
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(body.keys.k1, Buffer.alloc(32, 1).toString('base64')));
    expect(() => loadAppCrypt(app, SCHEMA, root)).toThrow('key k1 does not decrypt its check value');
    expect(() => loadAppCrypt(app, SCHEMA, root)).not.toThrow(body.keys.k1);
  });
});
