import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FieldCipher } from './field-cipher.js';
import { addKeyToKeyringFile, createKeyringFile, readKeyringFile } from './keyring-file.js';

const CONTEXT = { app: 'shop', table: 'users', field: 'email' };

describe('the keys file', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sogoms-crypt-'));
    file = join(dir, 'secrets/crypt.keys');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is created once, mode 600, and never overwritten', () => {
    createKeyringFile(file);
    expect(readKeyringFile(file).ids).toEqual(['k1']);
    expect(() => createKeyringFile(file)).toThrow(`${file}: exists already: keys are never overwritten`);
  });

  it('takes a new current key and keeps the old ones readable', () => {
    createKeyringFile(file);
    const old = new FieldCipher(readKeyringFile(file)).encrypt('kept', CONTEXT);
    expect(addKeyToKeyringFile(file)).toBe('k2');
    const ring = readKeyringFile(file);
    expect(ring.currentId).toBe('k2');
    expect(new FieldCipher(ring).decrypt(old, CONTEXT)).toBe('kept');
  });

  it('says what is wrong, naming the file and never a key', () => {
    createKeyringFile(file);
    const body = readFileSync(file, 'utf8');
    chmodSync(file, 0o644);
    expect(() => readKeyringFile(file)).toThrow(`${file}: is readable by others: chmod 600 it`);
    for (const [text, problem] of [
      ['{', 'is not JSON'],
      ['{"current":"k1","keys":{}}', 'has no keys'],
      [
        '{"current":"k2","keys":{"k1":"' + `${'A'.repeat(43)}=` + '"},"index":"x"}',
        'current must name one of the keys (k1)',
      ],
      ['{"current":"k1","keys":{"k1":"c2hvcnQ="},"index":"x"}', 'key k1 is not 32 bytes of base64'],
    ]) {
      writeFileSync(file, text, { mode: 0o600 });
      chmodSync(file, 0o600);
      expect(() => readKeyringFile(file)).toThrow(problem);
    }
    const key = (JSON.parse(body) as { keys: { k1: string } }).keys.k1;
    writeFileSync(file, body.replace('"index"', '"indx"'), { mode: 0o600 });
    expect(() => readKeyringFile(file)).toThrow('index is not 32 bytes');
    expect(() => readKeyringFile(file)).not.toThrow(key);
  });
});
