import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { blindIndex } from './blind-index.js';
import { DecryptionError, FieldCipher } from './field-cipher.js';
import type { FieldContext } from './field-context.js';
import { Keyring } from './keyring.js';

/**
 * `config/apps/{app}/secrets/crypt.keys` (mode 600, git-ignored with the rest of secrets/):
 *
 *     {"current": "k1", "keys": {"k1": "<base64 of 32 random bytes>"}, "index": "<base64>",
 *      "check": {"k1": "v1:k1:…", "index": "<hex>"}}
 *
 * Master keys by id (the newest is `current`), and the blind-index master, kept apart because
 * a rotation must not change the indexes. `check` holds a known text encrypted with each key
 * and the index of it, bound to the app's name: loading decrypts them, so an edited key or a
 * file copied from another app stops the start instead of failing row by row. `demo: true`
 * marks a file that ships in the repository for a demo app (not secret, any mode accepted).
 * Nothing here ever logs or returns a key.
 */
export const CRYPT_KEYS_FILE = 'secrets/crypt.keys';

/** A keys file that cannot be used: the message names the file and the fix, never a key. */
export class KeyringFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'KeyringFileError';
  }
}

interface KeysFileBody {
  current: string;
  keys: Record<string, string>;
  index: string;
  check: Record<string, string>;
  demo?: boolean;
}

/** What the check values encrypt: no secret, only a known text. */
const CHECK_TEXT = 'sogoms-crypt-check';
const checkContext = (app: string): FieldContext => ({ app, table: '', field: 'check' });

/** The check values of a keyring for `app`: one envelope per key id, and the index of the text. */
const checksOf = (ring: Keyring, app: string, ids: readonly string[]): Record<string, string> => {
  const check: Record<string, string> = {};
  for (const id of ids)
    check[id] = new FieldCipher(ring.withCurrent(id)).encrypt(CHECK_TEXT, checkContext(app));
  check.index = blindIndex(ring.indexKey, CHECK_TEXT, checkContext(app), 'trim');
  return check;
};

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const KEY_BYTES = 32;

const masterKey = (file: string, what: string, text: unknown): Buffer => {
  const key = typeof text === 'string' ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (key.length !== KEY_BYTES)
    throw new KeyringFileError(
      file,
      `${what} is not ${KEY_BYTES} bytes of base64 (make one with sogoms secrets generate)`,
    );
  return key;
};

/**
 * The keyring of `app` from its keys file, after the start-up check: every key decrypts its
 * check value and the index key gives the check index (a wrong key, or another app's file, is a
 * KeyringFileError naming the file, never a key).
 */
export const readKeyringFile = (file: string, app: string): Keyring => {
  const { ring, body } = parseKeyringFile(file);
  const check = body.check ?? {};
  for (const id of ring.ids) {
    const envelope = check[id];
    if (typeof envelope !== 'string')
      throw new KeyringFileError(file, `has no check value for key ${id} (it was not made by sogoms)`);
    try {
      if (new FieldCipher(ring).decrypt(envelope, checkContext(app)) === CHECK_TEXT) continue;
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
    }
    throw new KeyringFileError(
      file,
      `key ${id} does not decrypt its check value: a wrong key, or the keys of another app than ${app}`,
    );
  }
  if (check.index !== blindIndex(ring.indexKey, CHECK_TEXT, checkContext(app), 'trim'))
    throw new KeyringFileError(
      file,
      `the index key does not match its check value: a wrong key, or the keys of another app than ${app}`,
    );
  return ring;
};

/** Whether the file says it is a demo's (shipped in the repository, not secret). */
export const isDemoKeyringFile = (file: string): boolean => parseKeyringFile(file).body.demo === true;

const parseKeyringFile = (file: string): { ring: Keyring; body: Partial<KeysFileBody> } => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new KeyringFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let body: Partial<KeysFileBody>;
  try {
    body = JSON.parse(text) as Partial<KeysFileBody>;
  } catch {
    throw new KeyringFileError(file, 'is not JSON ({"current", "keys", "index", "check"})');
  }
  if ((statSync(file).mode & 0o077) !== 0 && body.demo !== true)
    throw new KeyringFileError(file, 'is readable by others: chmod 600 it');
  if (typeof body.keys !== 'object' || body.keys === null || Object.keys(body.keys).length === 0)
    throw new KeyringFileError(file, 'has no keys');
  const masters = new Map<string, Buffer>();
  for (const [id, key] of Object.entries(body.keys)) {
    if (!KEY_ID.test(id))
      throw new KeyringFileError(file, `key id ${JSON.stringify(id)} must match [A-Za-z0-9_-]{1,32}`);
    masters.set(id, masterKey(file, `key ${id}`, key));
  }
  if (typeof body.current !== 'string' || !masters.has(body.current))
    throw new KeyringFileError(file, `current must name one of the keys (${[...masters.keys()].join(', ')})`);
  return { ring: new Keyring(masters, body.current, masterKey(file, 'index', body.index)), body };
};

const writeBody = (file: string, body: KeysFileBody): void => {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
};

const newKey = (): string => randomBytes(KEY_BYTES).toString('base64');

const ringOf = (body: Omit<KeysFileBody, 'check'>): Keyring =>
  new Keyring(
    new Map(Object.entries(body.keys).map(([id, key]) => [id, Buffer.from(key, 'base64')])),
    body.current,
    Buffer.from(body.index, 'base64'),
  );

/** A new keys file of `app` with one key; refuses to overwrite one (its data would no longer decrypt). */
export const createKeyringFile = (file: string, app: string): void => {
  if (existsSync(file)) throw new KeyringFileError(file, 'exists already: keys are never overwritten');
  const body = { current: 'k1', keys: { k1: newKey() }, index: newKey() };
  writeBody(file, { ...body, check: checksOf(ringOf(body), app, ['k1']) });
};

/** Adds a key and makes it current (old keys stay: their values still decrypt); returns its id. */
export const addKeyToKeyringFile = (file: string, app: string): string => {
  readKeyringFile(file, app);
  const body = JSON.parse(readFileSync(file, 'utf8')) as KeysFileBody;
  const numbers = Object.keys(body.keys).map((id) => Number(/^k(\d+)$/.exec(id)?.[1] ?? 0));
  const id = `k${Math.max(0, ...numbers) + 1}`;
  const next = { ...body, current: id, keys: { ...body.keys, [id]: newKey() } };
  writeBody(file, { ...next, check: { ...body.check, ...checksOf(ringOf(next), app, [id]) } });
  return id;
};
