import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { TokenClaims, TokenService } from '@sogoms/auth';
import type { FastifyRequest } from 'fastify';
import { appOf } from '../http/current-app.decorator.js';
import { bearerTokenOf } from './bearer-token.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by JwtAuthGuard or OptionalAuthGuard: the verified token's claims, or null without a token. */
    caller?: TokenClaims | null;
  }
}

/** Verifies the request's bearer token (if any) with its app's key and records the caller. */
export const verifyCaller = async (
  tokens: TokenService,
  request: FastifyRequest,
): Promise<TokenClaims | null> => {
  const app = appOf(request); // an unknown host is a 404 before any token question
  const token = bearerTokenOf(request);
  const caller = token === undefined ? null : await tokens.verify(app.tokenKey, token);
  request.caller = caller;
  return caller;
};

/**
 * Who is calling: the claims of the verified token, or null on a route whose token is optional.
 * Needs JwtAuthGuard or OptionalAuthGuard on the route; without one it is a programming error.
 */
export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext): TokenClaims | null => {
  const caller = ctx.switchToHttp().getRequest<FastifyRequest>().caller;
  if (caller === undefined) throw new Error('@Caller() used on a route without an auth guard');
  return caller;
});
