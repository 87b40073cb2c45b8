import { createSecretKey, type KeyObject } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { SogomsError } from '@sogoms/common';
import type { TokenClaims } from './token-claims.js';

/** Per-app key material. The audience is the app name, so app B refuses app A's token even with the same secret. */
export interface TokenKey {
  app: string;
  secret: string;
  expiresInS: number;
}

const ISSUER = 'sogoms';

/** Verified tokens remembered per secret; beyond this many the oldest are forgotten first. */
const VERIFIED_TOKENS_MAX = 10_000;

/** A token that passed verification: its claims and its `exp` (seconds), checked again on every use. */
interface VerifiedToken {
  claims: TokenClaims;
  expiresAtS: number | undefined;
}

/** What is kept per secret: the KeyObject and the tokens it verified, by `{audience}\n{token}`. */
interface SecretEntry {
  key: KeyObject;
  verified: Map<string, VerifiedToken>;
}

/**
 * Signs and verifies HS256 tokens with the secret of the app the request is for.
 * Uses @nestjs/jwt with a per-call secret rather than one module-wide secret, because the
 * secret depends on the Host header of each request.
 */
export class TokenService {
  private readonly jwt = new JwtService();
  /**
   * Secrets as KeyObjects, made once: given a string, jsonwebtoken first tries (and fails) to
   * parse it as a public key on every verify, which cost half the gateway's CPU under load.
   */
  private readonly secrets = new Map<string, SecretEntry>();

  private entryOf(secret: string): SecretEntry {
    let entry = this.secrets.get(secret);
    if (entry === undefined) {
      entry = { key: createSecretKey(Buffer.from(secret, 'utf8')), verified: new Map() };
      this.secrets.set(secret, entry);
    }
    return entry;
  }

  private keyOf(secret: string): KeyObject {
    return this.entryOf(secret).key;
  }

  sign(key: TokenKey, claims: TokenClaims): Promise<string> {
    return this.jwt.signAsync(
      {
        role: claims.role,
        ...(claims.email === undefined ? {} : { email: claims.email }),
        ...(claims.sid === undefined ? {} : { sid: claims.sid }),
      },
      {
        // @nestjs/jwt passes the key through to jsonwebtoken, which takes KeyObjects.
        secret: this.keyOf(key.secret) as unknown as Buffer,
        algorithm: 'HS256',
        expiresIn: key.expiresInS,
        audience: key.app,
        issuer: ISSUER,
        subject: claims.sub,
      },
    );
  }

  /**
   * Rejects with UNAUTHORIZED for every kind of bad token: malformed, tampered, expired, other app, alg none.
   * A token verified once with this secret and audience is remembered (a client sends the same
   * token on every request, and the signature check was the gateway's largest cost per request);
   * its expiry is still checked on every use, as jsonwebtoken does: expired from second `exp` on.
   */
  async verify(key: TokenKey, token: string): Promise<TokenClaims> {
    const entry = this.entryOf(key.secret);
    const cacheKey = `${key.app}\n${token}`;
    const known = entry.verified.get(cacheKey);
    if (known !== undefined) {
      if (known.expiresAtS === undefined || Math.floor(Date.now() / 1000) < known.expiresAtS)
        return known.claims;
      entry.verified.delete(cacheKey);
      throw new SogomsError('UNAUTHORIZED', 'Token expired');
    }
    const verified = await this.verifySignature(entry.key, key.app, token);
    if (entry.verified.size >= VERIFIED_TOKENS_MAX) {
      const oldest = entry.verified.keys().next();
      if (oldest.done !== true) entry.verified.delete(oldest.value);
    }
    entry.verified.set(cacheKey, verified);
    return verified.claims;
  }

  private async verifySignature(secret: KeyObject, audience: string, token: string): Promise<VerifiedToken> {
    let payload: Record<string, unknown>;
    try {
      payload = await this.jwt.verifyAsync<Record<string, unknown>>(token, {
        secret: secret as unknown as Buffer,
        algorithms: ['HS256'],
        audience,
        issuer: ISSUER,
      });
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw new SogomsError('UNAUTHORIZED', expired ? 'Token expired' : 'Invalid token');
    }
    const { sub, role, email, sid, exp } = payload;
    if (typeof sub !== 'string' || sub === '' || typeof role !== 'string') {
      throw new SogomsError('UNAUTHORIZED', 'Invalid token');
    }
    const claims: TokenClaims = { sub, role };
    if (typeof email === 'string') claims.email = email;
    if (typeof sid === 'string') claims.sid = sid;
    return {
      // Frozen: the same object answers every later request with this token.
      claims: Object.freeze(claims),
      expiresAtS: typeof exp === 'number' ? exp : undefined,
    };
  }
}
