import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FieldCipher } from './field-cipher.js';
import {
  addKeyToKeyringFile,
  createKeyringFile,
  isDemoKeyringFile,
  readKeyringFile,
} from './keyring-file.js';

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
    createKeyringFile(file, 'shop');
    expect(readKeyringFile(file, 'shop').ids).toEqual(['k1']);
    expect(() => createKeyringFile(file, 'shop')).toThrow(
      `${file}: exists already: keys are never overwritten`,
    );
  });

  it('takes a new current key and keeps the old ones readable', () => {
    createKeyringFile(file, 'shop');
    const old = new FieldCipher(readKeyringFile(file, 'shop')).encrypt('kept', CONTEXT);
    expect(addKeyToKeyringFile(file, 'shop')).toBe('k2');
    const ring = readKeyringFile(file, 'shop');
    expect(ring.currentId).toBe('k2');
    expect(new FieldCipher(ring).decrypt(old, CONTEXT)).toBe('kept');
  });

  it('refuses to load a wrong key or the keys of another app (the start-up check)', () => {
    createKeyringFile(file, 'shop');
    expect(() => readKeyringFile(file, 'other')).toThrow(
      `${file}: key k1 does not decrypt its check value: a wrong key, or the keys of another app than other`,
    );
    const body = JSON.parse(readFileSync(file, 'utf8')) as { keys: { k1: string }; index: string };
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace(body.keys.k1, Buffer.alloc(32, 7).toString('base64')));
    expect(() => readKeyringFile(file, 'shop')).toThrow('key k1 does not decrypt its check value');
    writeFileSync(file, original.replace(body.index, Buffer.alloc(32, 7).toString('base64')));
    expect(() => readKeyringFile(file, 'shop')).toThrow('the index key does not match its check value');
    writeFileSync(file, original);
    expect(readKeyringFile(file, 'shop').currentId).toBe('k1');
  });

  it('accepts a demo file whatever its mode, and only a demo file', () => {
    createKeyringFile(file, 'shop');
    const body = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...body, demo: true }));
    chmodSync(file, 0o644);
    expect(readKeyringFile(file, 'shop').currentId).toBe('k1');
    expect(isDemoKeyringFile(file)).toBe(true);
  });

  it('says what is wrong, naming the file and never a key', () => {
    createKeyringFile(file, 'shop');
    const body = readFileSync(file, 'utf8');
    chmodSync(file, 0o644);
    expect(() => readKeyringFile(file, 'shop')).toThrow(`${file}: is readable by others: chmod 600 it`);
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
      expect(() => readKeyringFile(file, 'shop')).toThrow(problem);
    }
    const key = (JSON.parse(body) as { keys: { k1: string } }).keys.k1;
    writeFileSync(file, body.replace('"index"', '"indx"'), { mode: 0o600 });
    expect(() => readKeyringFile(file, 'shop')).toThrow('index is not 32 bytes');
    expect(() => readKeyringFile(file, 'shop')).not.toThrow(key);
  });
});
