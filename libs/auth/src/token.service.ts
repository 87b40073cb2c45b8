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
  private readonly keys = new Map<string, KeyObject>();

  private keyOf(secret: string): KeyObject {
    let key = this.keys.get(secret);
    if (key === undefined) {
      key = createSecretKey(Buffer.from(secret, 'utf8'));
      this.keys.set(secret, key);
    }
    return key;
  }

  sign(key: TokenKey, claims: TokenClaims): Promise<string> {
    return this.jwt.signAsync(
      { role: claims.role, ...(claims.email === undefined ? {} : { email: claims.email }) },
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

  /** Rejects with UNAUTHORIZED for every kind of bad token: malformed, tampered, expired, other app, alg none. */
  async verify(key: TokenKey, token: string): Promise<TokenClaims> {
    let payload: Record<string, unknown>;
    try {
      payload = await this.jwt.verifyAsync<Record<string, unknown>>(token, {
        secret: this.keyOf(key.secret) as unknown as Buffer,
        algorithms: ['HS256'],
        audience: key.app,
        issuer: ISSUER,
      });
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw new SogomsError('UNAUTHORIZED', expired ? 'Token expired' : 'Invalid token');
    }
    const { sub, role, email } = payload;
    if (typeof sub !== 'string' || sub === '' || typeof role !== 'string') {
      throw new SogomsError('UNAUTHORIZED', 'Invalid token');
    }
    return typeof email === 'string' ? { sub, role, email } : { sub, role };
  }
}
