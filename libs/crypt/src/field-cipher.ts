import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SogomsError } from '@sogoms/common';
import { associatedData, type FieldContext } from './field-context.js';
import type { Keyring } from './keyring.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** `v1:{key id}:{base64url(iv | tag | ciphertext)}`. */
const ENVELOPE = /^v1:([A-Za-z0-9_-]{1,32}):([A-Za-z0-9_-]+)$/;

/** Why a stored value did not decrypt; the value itself is never part of the message. */
export class DecryptionError extends SogomsError {
  constructor(
    readonly context: FieldContext,
    readonly reason: 'not_an_envelope' | 'unknown_key' | 'tampered',
  ) {
    super('DECRYPTION_FAILED', `${context.table}.${context.field} could not be decrypted`, {
      table: context.table,
      field: context.field,
    });
  }
}

/**
 * AES-256-GCM for one app's fields: a random 12-byte IV per value, the tag checked on every
 * read, the app, table and field bound in as associated data (a value copied into another
 * column or app does not decrypt), and the key id in the envelope so that old values still read
 * after a rotation.
 */
export class FieldCipher {
  constructor(private readonly keyring: Keyring) {}

  encrypt(plain: string, context: FieldContext): string {
    const keyId = this.keyring.currentId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.encryptionKey(keyId)!, iv);
    cipher.setAAD(associatedData(context));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}:${keyId}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  decrypt(envelope: string, context: FieldContext): string {
    const match = ENVELOPE.exec(envelope);
    if (match === null) throw new DecryptionError(context, 'not_an_envelope');
    const key = this.keyring.encryptionKey(match[1]);
    if (key === undefined) throw new DecryptionError(context, 'unknown_key');
    const raw = Buffer.from(match[2], 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new DecryptionError(context, 'tampered');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(associatedData(context));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new DecryptionError(context, 'tampered');
    }
  }

  /** The key id a stored envelope was written with (rotation skips values already on the current key). */
  static keyIdOf(envelope: string): string | null {
    return ENVELOPE.exec(envelope)?.[1] ?? null;
  }

  static isEnvelope(value: string): boolean {
    return ENVELOPE.test(value);
  }

  /** The longest envelope of a plaintext of `bytes` UTF-8 bytes (for the column's length). */
  static envelopeLength(bytes: number, keyIdLength = 32): number {
    return VERSION.length + 2 + keyIdLength + Math.ceil(((IV_BYTES + TAG_BYTES + bytes) * 4) / 3);
  }
}
