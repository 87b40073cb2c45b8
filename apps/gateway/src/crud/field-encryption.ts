import { SogomsError } from '@sogoms/common';
import { DecryptionError, FieldCipher, blindIndex, type FieldContext, type Keyring } from '@sogoms/crypt';
import type { Row, SqlValue } from '@sogoms/ipc';
import { blindIndexNormalisation, type FieldDef } from '@sogoms/schema';

/**
 * One encrypted field's work in the CRUD engine (docs/crypt.md), compiled once per snapshot:
 * seal a plaintext into its envelope, open an envelope, and the blind index of a plaintext for
 * a searchable field. All in process: an AES-GCM call is microseconds, an IPC hop more.
 */
export interface FieldEncryption {
  context: FieldContext;
  seal(plain: string): string;
  /** The plaintext of a stored envelope; a DecryptionError when it does not decrypt. */
  open(stored: string): string;
  /** The blind index of a plaintext (searchable fields only; null otherwise). */
  indexOf: ((plain: string) => string) | null;
  /** The table's key fields, to name the row of a value that does not decrypt. */
  keyNames: readonly string[];
}

/** An app's keys, loaded once per snapshot (start and reload) after the start-up check. */
export interface AppCrypt {
  app: string;
  keyring: Keyring;
  cipher: FieldCipher;
}

export const appCryptOf = (app: string, keyring: Keyring): AppCrypt => ({
  app,
  keyring,
  cipher: new FieldCipher(keyring),
});

/**
 * Plaintexts of the envelopes read last, per field and snapshot: an AES-GCM decryption costs
 * about 4–9 µs here (most of it setting up the cipher), 100 of them double the cost of a
 * 50-row page. An envelope is only ever the one value under one context and keyring, so a hit
 * is exact; an altered or moved value is another string and is decrypted (and refused). The
 * cache goes with the snapshot (a reload or rotation starts anew). Oldest entries leave first.
 */
const CACHED_VALUES_PER_FIELD = 4096;

export const compileFieldEncryption = (
  crypt: AppCrypt,
  table: string,
  def: FieldDef,
  keyNames: readonly string[],
): FieldEncryption => {
  const context: FieldContext = { app: crypt.app, table, field: def.name };
  const how = blindIndexNormalisation(def);
  const key = crypt.keyring.indexKey;
  const opened = new Map<string, string>();
  return {
    context,
    seal: (plain) => crypt.cipher.encrypt(plain, context),
    open: (stored) => {
      const known = opened.get(stored);
      if (known !== undefined) return known;
      const plain = crypt.cipher.decrypt(stored, context);
      if (opened.size >= CACHED_VALUES_PER_FIELD) opened.delete(opened.keys().next().value!);
      opened.set(stored, plain);
      return plain;
    },
    indexOf: def.searchable === true ? (plain) => blindIndex(key, plain, context, how) : null,
    keyNames,
  };
};

/** The id of a row as in a URL, when the row carries its key (a `fields=` projection may not). */
const rowIdOf = (encryption: FieldEncryption, row: Row | undefined): string | null => {
  if (row === undefined || encryption.keyNames.length === 0) return null;
  const parts = encryption.keyNames.map((name) => row[name]);
  return parts.some((p) => p === undefined || p === null) ? null : parts.map(String).join(',');
};

/**
 * A stored value that does not decrypt, as the API answers it: DECRYPTION_FAILED naming the
 * table, field and row (never the value); the error filter logs it as `decryption_failed`.
 */
export const decryptionFailed = (
  encryption: FieldEncryption,
  error: DecryptionError,
  row: Row | undefined,
): SogomsError => {
  const id = rowIdOf(encryption, row);
  const { table, field } = encryption.context;
  return new SogomsError(
    'DECRYPTION_FAILED',
    `${table}.${field} of ${id === null ? 'a row' : `row ${id}`} could not be decrypted (${error.reason}): the value was altered or the keys file is not the one it was written with`,
    { table, field, row: id, reason: error.reason },
  );
};

/** A written plaintext (a string, or null) → the envelope, and the blind index when searchable. */
export const sealValue = (
  encryption: FieldEncryption,
  value: SqlValue,
): { stored: SqlValue; index: SqlValue } => {
  if (typeof value !== 'string') return { stored: value, index: null };
  return { stored: encryption.seal(value), index: encryption.indexOf?.(value) ?? null };
};

export { DecryptionError };
