import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blindIndex } from './blind-index.js';
import { DecryptionError, FieldCipher } from './field-cipher.js';
import { Keyring } from './keyring.js';

const keyring = (
  ids: string[],
  current: string,
  masters = new Map(ids.map((id) => [id, randomBytes(32)])),
) => ({ ring: new Keyring(masters, current, randomBytes(32)), masters });

const EMAIL = { app: 'shop', table: 'users', field: 'email' };

/** Flips one bit of the raw bytes of an envelope at `offset` (0: first IV byte). */
const flipped = (envelope: string, offset: number): string => {
  const [version, keyId, body] = envelope.split(':');
  const raw = Buffer.from(body, 'base64url');
  raw[offset] ^= 0x01;
  return `${version}:${keyId}:${raw.toString('base64url')}`;
};

const reasonOf = (work: () => unknown): string => {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(DecryptionError);
    expect((error as DecryptionError).code).toBe('DECRYPTION_FAILED');
    expect((error as DecryptionError).message).toBe('users.email could not be decrypted');
    return (error as DecryptionError).reason;
  }
  throw new Error('expected a DecryptionError');
};

describe('FieldCipher', () => {
  const { ring } = keyring(['k1'], 'k1');
  const cipher = new FieldCipher(ring);

  it('round-trips every kind of text, with a fresh IV each time', () => {
    for (const plain of ['', 'a', 'ann@example.com', 'Zoë — 東京 🚀', 'x'.repeat(10_000)]) {
      const envelope = cipher.encrypt(plain, EMAIL);
      expect(envelope).toMatch(/^v1:k1:[A-Za-z0-9_-]+$/);
      // (A one-letter plaintext may well occur in base64 by chance: only longer ones are looked for.)
      if (plain.length >= 8) expect(envelope).not.toContain(plain);
      expect(cipher.decrypt(envelope, EMAIL)).toBe(plain);
      expect(envelope.length).toBeLessThanOrEqual(FieldCipher.envelopeLength(Buffer.byteLength(plain), 2));
    }
    expect(cipher.encrypt('same', EMAIL)).not.toBe(cipher.encrypt('same', EMAIL));
  });

  it('refuses a flipped bit anywhere: IV, tag or ciphertext', () => {
    const envelope = cipher.encrypt('ann@example.com', EMAIL);
    for (const offset of [0, 11, 12, 27, 28, 40])
      expect(reasonOf(() => cipher.decrypt(flipped(envelope, offset), EMAIL))).toBe('tampered');
  });

  it('refuses a value moved to another field, table or app', () => {
    const envelope = cipher.encrypt('ann@example.com', EMAIL);
    for (const elsewhere of [
      { ...EMAIL, field: 'name' },
      { ...EMAIL, table: 'customers' },
      { ...EMAIL, app: 'other' },
    ])
      expect(() => cipher.decrypt(envelope, elsewhere)).toThrow(DecryptionError);
  });

  it('refuses what is no envelope, and a key it does not have', () => {
    expect(reasonOf(() => cipher.decrypt('ann@example.com', EMAIL))).toBe('not_an_envelope');
    expect(reasonOf(() => cipher.decrypt('v1:k9:AAAA', EMAIL))).toBe('unknown_key');
    expect(reasonOf(() => cipher.decrypt('v1:k1:AAAA', EMAIL))).toBe('tampered');
  });

  it('reads old values after a rotation and writes new ones with the new key', () => {
    const before = keyring(['k1'], 'k1');
    const old = new FieldCipher(before.ring).encrypt('kept', EMAIL);
    const after = new Keyring(new Map([...before.masters, ['k2', randomBytes(32)]]), 'k2', randomBytes(32));
    const rotated = new FieldCipher(after);
    expect(rotated.decrypt(old, EMAIL)).toBe('kept');
    expect(FieldCipher.keyIdOf(rotated.encrypt('new', EMAIL))).toBe('k2');
    // A wrong key under the right id does not decrypt.
    const wrong = new Keyring(new Map([['k1', randomBytes(32)]]), 'k1', randomBytes(32));
    expect(() => new FieldCipher(wrong).decrypt(old, EMAIL)).toThrow(DecryptionError);
  });
});

describe('blindIndex', () => {
  const key = randomBytes(32);

  it('is equal for equal normalised values and differs per field and key', () => {
    const a = blindIndex(key, ' Ann@Example.com ', EMAIL, 'email');
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(blindIndex(key, 'ann@example.com', EMAIL, 'email')).toBe(a);
    expect(blindIndex(key, 'Ann@Example.com', EMAIL, 'trim')).not.toBe(a);
    expect(blindIndex(key, 'ann@example.com', { ...EMAIL, field: 'backup' }, 'email')).not.toBe(a);
    expect(blindIndex(randomBytes(32), 'ann@example.com', EMAIL, 'email')).not.toBe(a);
  });
});
