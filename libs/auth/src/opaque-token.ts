import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque secrets handed to a client once (refresh, reset and verification tokens): 32 random
 * bytes in base64url. Only their SHA-256 is stored, so a copy of the database logs nobody in.
 * A fast hash is enough: the value has 256 bits of entropy, nothing to guess.
 */
export const newOpaqueToken = (): string => randomBytes(32).toString('base64url');

export const hashOpaqueToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Accepted shape of an opaque token in a request body: anything else is refused before a lookup. */
export const OPAQUE_TOKEN = /^[A-Za-z0-9_-]{43}$/;
