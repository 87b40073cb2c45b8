import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { TokenService, type TokenClaims } from '@sogoms/auth';
import { SogomsError } from '@sogoms/common';
import type { FastifyRequest } from 'fastify';
import { appOf } from '../routing/current-app.decorator.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified token's claims, set by JwtAuthGuard. */
    auth?: TokenClaims;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

/** Requires `Authorization: Bearer <token>` signed with the secret of the request's app. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(@Inject(TokenService) private readonly tokens: TokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const app = appOf(request);
    const header = request.headers.authorization;
    if (header === undefined) throw new SogomsError('UNAUTHORIZED', 'Missing bearer token');
    const match = BEARER.exec(header.trim());
    if (match === null)
      throw new SogomsError('UNAUTHORIZED', 'Malformed Authorization header: expected Bearer <token>');
    request.auth = await this.tokens.verify(app.tokenKey, match[1]);
    return true;
  }
}
