import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { isRecord, SogomsError } from '@sogoms/common';
import { FieldCipher } from './field-cipher.js';
import type { FieldContext } from './field-context.js';
import { CRYPT_KEYS_FILE, readKeyringFile } from './keyring-file.js';

/** The IPC actions a service offers by importing CryptIpcModule (docs/crypt.md). */
export const CRYPT_PATTERNS = {
  encrypt: 'crypt.encrypt',
  decrypt: 'crypt.decrypt',
  hash: 'crypt.hash',
} as const;

/** `{app, table, field, value}`: the value and the place it belongs to (the envelope is bound to it). */
export interface CryptRequest extends FieldContext {
  value: string;
}

const requestOf = (payload: unknown): CryptRequest => {
  const problems: Record<string, string[]> = {};
  const body = isRecord(payload) ? payload : {};
  for (const key of ['app', 'table', 'field', 'value'] as const)
    if (typeof body[key] !== 'string') problems[key] = [`${key} must be a string`];
  if (Object.keys(problems).length > 0)
    throw new SogomsError('VALIDATION_FAILED', 'Invalid crypt request', problems);
  return body as unknown as CryptRequest;
};

/**
 * encrypt, decrypt and hash for services that are not the gateway (mailer, cron): in their own
 * process, each app's keys read once from `{app dir}/secrets/crypt.keys` after the start-up
 * check. `dirOf` names an app's folder (undefined: no such app). `forget` drops the keys read,
 * for a reload.
 */
export class CryptActions {
  private readonly ciphers = new Map<string, FieldCipher>();

  constructor(private readonly dirOf: (app: string) => string | undefined) {}

  encrypt(payload: unknown): { value: string } {
    const request = requestOf(payload);
    return { value: this.cipherOf(request.app).encrypt(request.value, request) };
  }

  /** A value that does not decrypt is DECRYPTION_FAILED naming table and field (never the value). */
  decrypt(payload: unknown): { value: string } {
    const request = requestOf(payload);
    return { value: this.cipherOf(request.app).decrypt(request.value, request) };
  }

  /** SHA-256 of a UTF-8 text, hex: a digest, not a secret (no key; use the blind index for lookups). */
  hash(payload: unknown): { sha256: string } {
    const value = isRecord(payload) ? payload.value : undefined;
    if (typeof value !== 'string')
      throw new SogomsError('VALIDATION_FAILED', 'Invalid crypt request', {
        value: ['value must be a string'],
      });
    return { sha256: createHash('sha256').update(value, 'utf8').digest('hex') };
  }

  forget(): void {
    this.ciphers.clear();
  }

  private cipherOf(app: string): FieldCipher {
    const known = this.ciphers.get(app);
    if (known !== undefined) return known;
    const dir = this.dirOf(app);
    if (dir === undefined) throw new SogomsError('NOT_FOUND', `Unknown app ${app}`);
    const cipher = new FieldCipher(readKeyringFile(join(dir, CRYPT_KEYS_FILE), app));
    this.ciphers.set(app, cipher);
    return cipher;
  }
}
