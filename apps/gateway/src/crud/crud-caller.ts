import { SogomsError } from '@sogoms/common';
import type { TokenClaims, TokenService } from '@sogoms/auth';
import type { FastifyRequest } from 'fastify';
import type { AppRuntime } from '../routing/app-runtime.js';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

/**
 * The caller of a CRUD route: the verified token's claims, or null without an Authorization
 * header (public operations). A header that is present must be valid, even on a public route.
 */
export const resolveCaller = async (
  tokens: TokenService,
  app: AppRuntime,
  request: FastifyRequest,
): Promise<TokenClaims | null> => {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const match = BEARER.exec(header.trim());
  if (match === null)
    throw new SogomsError('UNAUTHORIZED', 'Malformed Authorization header: expected Bearer <token>');
  return tokens.verify(app.tokenKey, match[1]);
};
