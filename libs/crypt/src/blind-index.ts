import { createHmac } from 'node:crypto';
import { associatedData, type FieldContext } from './field-context.js';

/** 16 bytes of HMAC-SHA256: collisions are out of reach, the column stays small. */
const INDEX_BYTES = 16;

export type IndexNormalisation = 'trim' | 'email';

/** What two spellings of one value have in common: trimmed; an email also lower-cased. */
export const normalised = (value: string, how: IndexNormalisation): string =>
  how === 'email' ? value.trim().toLowerCase() : value.trim();

/**
 * The blind index of a value: HMAC-SHA256 under the app's index key, over the field's context
 * and the normalised value, as 32 hex characters. Equal values give equal indexes, so
 * `filter[email]=` becomes an indexed equality; nothing about the value can be read from it
 * without the key.
 */
export const blindIndex = (
  key: Buffer,
  value: string,
  context: FieldContext,
  how: IndexNormalisation,
): string =>
  createHmac('sha256', key)
    .update(associatedData(context))
    .update('\0')
    .update(normalised(value, how), 'utf8')
    .digest()
    .subarray(0, INDEX_BYTES)
    .toString('hex');

/** Characters of a blind index (its column type: CHAR of this length). */
export const BLIND_INDEX_LENGTH = INDEX_BYTES * 2;
