import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Keyring } from './keyring.js';

/**
 * `config/apps/{app}/secrets/crypt.keys` (mode 600, git-ignored with the rest of secrets/):
 *
 *     {"current": "k1", "keys": {"k1": "<base64 of 32 random bytes>"}, "index": "<base64>"}
 *
 * Master keys by id (the newest is `current`), and the blind-index master, kept apart because
 * a rotation must not change the indexes. Nothing here ever logs or returns a key.
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
}

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

export const readKeyringFile = (file: string): Keyring => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new KeyringFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if ((statSync(file).mode & 0o077) !== 0)
    throw new KeyringFileError(file, 'is readable by others: chmod 600 it');
  let body: Partial<KeysFileBody>;
  try {
    body = JSON.parse(text) as Partial<KeysFileBody>;
  } catch {
    throw new KeyringFileError(file, 'is not JSON ({"current", "keys", "index"})');
  }
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
  return new Keyring(masters, body.current, masterKey(file, 'index', body.index));
};

const writeBody = (file: string, body: KeysFileBody): void => {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
};

const newKey = (): string => randomBytes(KEY_BYTES).toString('base64');

/** A new keys file with one key; refuses to overwrite one (its data would no longer decrypt). */
export const createKeyringFile = (file: string): void => {
  if (existsSync(file)) throw new KeyringFileError(file, 'exists already: keys are never overwritten');
  writeBody(file, { current: 'k1', keys: { k1: newKey() }, index: newKey() });
};

/** Adds a key and makes it current (old keys stay: their values still decrypt); returns its id. */
export const addKeyToKeyringFile = (file: string): string => {
  readKeyringFile(file);
  const body = JSON.parse(readFileSync(file, 'utf8')) as KeysFileBody;
  const numbers = Object.keys(body.keys).map((id) => Number(/^k(\d+)$/.exec(id)?.[1] ?? 0));
  const id = `k${Math.max(0, ...numbers) + 1}`;
  writeBody(file, { ...body, current: id, keys: { ...body.keys, [id]: newKey() } });
  return id;
};
