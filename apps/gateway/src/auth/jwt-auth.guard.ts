import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { TokenService } from '@sogoms/auth';
import { SogomsError } from '@sogoms/common';
import type { FastifyRequest } from 'fastify';
import { verifyCaller } from './caller.decorator.js';

/** Requires `Authorization: Bearer <token>` signed with the secret of the request's app. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(@Inject(TokenService) private readonly tokens: TokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if ((await verifyCaller(this.tokens, request)) === null)
      throw new SogomsError('UNAUTHORIZED', 'Missing bearer token');
    return true;
  }
}
