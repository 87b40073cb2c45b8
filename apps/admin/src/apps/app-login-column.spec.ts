import { join } from 'node:path';
import { findProjectRoot } from '@sogoms/common';
import { loadSchemaFile } from '@sogoms/schema';
import { describe, expect, it } from 'vitest';
import { appLoginColumnOf } from './app-login-column.js';

const ROOT = findProjectRoot();
/** The demo as it ships: users.email encrypted and searchable, with its demo keys (not secret). */
const PROKOV = join(ROOT, 'config/apps/prokov');
const app = { name: 'prokov', dir: PROKOV, auth: { usersTable: 'users', loginField: 'email' } };

describe('appLoginColumnOf (the users page)', () => {
  it('searches an encrypted login by its blind index, shows it decrypted, writes envelope and index', () => {
    const column = appLoginColumnOf(app, loadSchemaFile(PROKOV, ROOT));
    expect(column.encrypted).toBe(true);
    const written = column.written('someone@prokov.test');
    expect(written.columns).toEqual(['`email`', '`email_bidx`']);
    const [envelope, index] = written.values as string[];
    expect(envelope).toMatch(/^v1:k1:/);
    expect(column.shown(envelope)).toBe('someone@prokov.test');
    // The same address, another case: the same index (format: email), so the exact search finds it.
    expect(column.search('SomeOne@prokov.test')).toEqual({ sql: '`email_bidx` = ?', params: [index] });
    // One character of the IV changed (a middle character: all six of its bits are data).
    const at = 'v1:k1:'.length + 5;
    const tampered = `${envelope.slice(0, at)}${envelope[at] === 'A' ? 'B' : 'A'}${envelope.slice(at + 1)}`;
    expect(column.shown(tampered)).toBe('(does not decrypt)');
    expect(column.shown(null)).toBe('');
  });

  it('searches a plain login with LIKE (wildcards escaped) and shows it as it is', () => {
    const column = appLoginColumnOf(app, null);
    expect(column.encrypted).toBe(false);
    expect(column.search('a_b%')).toEqual({ sql: '`email` LIKE ?', params: ['%a\\_b\\%%'] });
    expect(column.shown('a@b.test')).toBe('a@b.test');
    expect(column.written('a@b.test')).toEqual({ columns: ['`email`'], values: ['a@b.test'] });
  });

  it('answers UNAVAILABLE, naming the app, when the keys of an encrypted login cannot be read', () => {
    const elsewhere = { ...app, dir: join(ROOT, 'config/apps/does-not-exist') };
    expect(() => appLoginColumnOf(elsewhere, loadSchemaFile(PROKOV, ROOT))).toThrow(
      expect.objectContaining({ code: 'UNAVAILABLE', message: expect.stringContaining("app 'prokov'") }),
    );
  });
});
