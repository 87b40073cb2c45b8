import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import { CRYPT_KEYS_FILE, FieldCipher, blindIndex, createKeyringFile, readKeyringFile } from '@sogoms/crypt';
import { TEST_MARIADB } from '@sogoms/schema/testing';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliCommand, CliContext } from '../cli-context.js';
import { cryptMigrateCommand, type CryptBatchOptions } from './crypt-migrate.command.js';
import { ROTATION_FILE } from './crypt-rotate.command.js';
import { schemaMigrateCommand } from './schema-migrate.command.js';

const BIN = fileURLToPath(new URL('../../../../bin/sogoms.js', import.meta.url));
const ROWS = 10_000;

const schemaYaml = (encrypted: boolean): string => `version: 1
tables:
  people:
    fields:
      id: { type: int, unsigned: true, primary: true, auto: true }
      email: { type: string, length: 190, unique: true, required: true${encrypted ? ', encrypted: true, searchable: true' : ''} }
      note: { type: text, nullable: true${encrypted ? ', encrypted: true' : ''} }
`;

describe('crypt migrate and crypt rotate (real MariaDB)', () => {
  let fixture: ConfigFixture;
  let admin: mysql.Connection;
  const database = `sogoms_test_cryptcli_${randomBytes(4).toString('hex')}`;
  let out: string[] = [];

  const run = async <O extends object>(command: CliCommand<O>, args: string[], options: O) => {
    out = [];
    const ctx: CliContext<O> = {
      args,
      options,
      configRoot: fixture.root,
      out: (line) => out.push(line),
      err: (line) => out.push(line),
    };
    return command.run(ctx);
  };
  const rows = async () =>
    (await admin.query(`SELECT id, email, email_bidx, note FROM \`${database}\`.people ORDER BY id`))[0] as {
      id: number;
      email: string;
      email_bidx: string | null;
      note: string | null;
    }[];
  const keysFile = () => join(fixture.root, 'apps/shop', CRYPT_KEYS_FILE);
  const context = (field: string) => ({ app: 'shop', table: 'people', field });

  beforeAll(async () => {
    admin = await mysql.createConnection({ ...TEST_MARIADB, multipleStatements: true });
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
    fixture = createConfigFixture();
    fixture.app('shop', { database: { name: database } });
    fixture.write('apps/shop/schema.yaml', schemaYaml(false));
    createKeyringFile(keysFile(), 'shop');
    expect(await run(schemaMigrateCommand, ['shop'], { apply: true })).toBe(0);
    const values = Array.from({ length: ROWS }, (_, i) => [
      `User${i}@Example.com`,
      i % 3 === 0 ? null : `note ${i} — é`,
    ]);
    await admin.query(`INSERT INTO \`${database}\`.people (email, note) VALUES ?`, [values]);
  }, 60_000);

  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.end();
    fixture.remove();
  });

  it(`encrypts ${ROWS.toLocaleString('en')} plaintext rows in batches, once`, async () => {
    fixture.write('apps/shop/schema.yaml', schemaYaml(true));
    // Not before the column can hold the envelope and the blind index exists.
    await expect(run(cryptMigrateCommand, ['shop', 'people.email'], {})).rejects.toThrow(
      /the database is not ready for people.email .*run sogoms schema migrate shop --apply first/,
    );
    expect(await run(schemaMigrateCommand, ['shop'], { apply: true })).toBe(0);
    expect(out).toContain(
      '-- people.email_bidx: column missing in the database (searchable: the blind index of email, unique)',
    );
    expect(
      await run<CryptBatchOptions>(cryptMigrateCommand, ['shop', 'people.email'], { batch: '1000' }),
    ).toBe(0);
    expect(out.filter((l) => l.includes('rows read'))).toHaveLength(ROWS / 1000);
    expect(out.at(-1)).toBe(`done: ${ROWS} value(s) encrypted, 0 already encrypted or null`);
    expect(await run(cryptMigrateCommand, ['shop', 'people.note'], {})).toBe(0);
    const ring = readKeyringFile(keysFile(), 'shop');
    const cipher = new FieldCipher(ring);
    const after = await rows();
    expect(after).toHaveLength(ROWS);
    after.forEach((row, i) => {
      expect(cipher.decrypt(row.email, context('email'))).toBe(`User${i}@Example.com`);
      expect(row.email_bidx).toBe(
        blindIndex(ring.indexKey, `user${i}@example.com`, context('email'), 'email'),
      );
      expect(row.note === null ? null : cipher.decrypt(row.note, context('note'))).toBe(
        i % 3 === 0 ? null : `note ${i} — é`,
      );
    });
    // Again: nothing left to do, nothing encrypted twice.
    expect(await run(cryptMigrateCommand, ['shop', 'people.email'], {})).toBe(0);
    expect(out.at(-1)).toBe(`done: 0 value(s) encrypted, ${ROWS} already encrypted or null`);
    expect(await rows()).toEqual(after);
    // The unique rule is the blind index's now.
    await expect(
      admin.query(`INSERT INTO \`${database}\`.people (email, email_bidx) VALUES ('x', ?)`, [
        after[0].email_bidx,
      ]),
    ).rejects.toThrow(/Duplicate/);
  }, 120_000);

  it('rotates: killed with SIGKILL half-way, the next run resumes on the same key; no value lost or encrypted twice', async () => {
    const before = new FieldCipher(readKeyringFile(keysFile(), 'shop'));
    const plain = (await rows()).map((r) => before.decrypt(r.email, context('email')));
    const child = spawn(process.execPath, [
      BIN,
      'crypt',
      'rotate',
      'shop',
      '--batch',
      '200',
      '--config',
      fixture.root,
    ]);
    let printed = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        printed += d.toString();
        if (/people\.email: 2000 rows read/.test(printed)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => resolve());
    });
    await new Promise((r) => child.once('exit', r).once('close', r));
    expect(printed).toContain('added key k2 to secrets/crypt.keys');
    expect(existsSync(join(fixture.root, 'apps/shop', ROTATION_FILE))).toBe(true);
    const mid = await rows();
    const onK2 = mid.filter((r) => FieldCipher.keyIdOf(r.email) === 'k2').length;
    expect(onK2).toBeGreaterThan(0);
    expect(onK2).toBeLessThan(ROWS);
    // Half-way, every value reads with the keys file as it is (old key or new).
    const during = new FieldCipher(readKeyringFile(keysFile(), 'shop'));
    mid.forEach((r, i) => expect(during.decrypt(r.email, context('email'))).toBe(plain[i]));

    const resumed = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const again = spawn(process.execPath, [BIN, 'crypt', 'rotate', 'shop', '--config', fixture.root]);
      let text = '';
      again.stdout.on('data', (d: Buffer) => (text += d.toString()));
      again.stderr.on('data', (d: Buffer) => (text += d.toString()));
      again.on('close', (code) => resolve({ code, text }));
    });
    expect(resumed.text).toContain('resuming the rotation to key k2');
    expect(resumed.code).toBe(0);
    expect(resumed.text).toContain("done: every encrypted value of app 'shop' is on key k2");
    expect(existsSync(join(fixture.root, 'apps/shop', ROTATION_FILE))).toBe(false);
    const ring = readKeyringFile(keysFile(), 'shop');
    expect(ring.ids).toEqual(['k1', 'k2']);
    const cipher = new FieldCipher(ring);
    const after = await rows();
    after.forEach((r, i) => {
      expect(FieldCipher.keyIdOf(r.email)).toBe('k2');
      expect(cipher.decrypt(r.email, context('email'))).toBe(plain[i]);
      expect(r.email_bidx).toBe(mid[i].email_bidx);
      if (r.note !== null) expect(FieldCipher.keyIdOf(r.note)).toBe('k2');
    });
    expect(JSON.parse(readFileSync(keysFile(), 'utf8')).current).toBe('k2');
  }, 120_000);
});
