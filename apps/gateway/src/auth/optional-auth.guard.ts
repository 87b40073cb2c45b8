import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { TokenService } from '@sogoms/auth';
import type { FastifyRequest } from 'fastify';
import { verifyCaller } from './caller.decorator.js';

/**
 * A token is optional (public operations decide per table or route): without one the caller is
 * null; one that is present must be valid, else 401.
 */
@Injectable()
export class OptionalAuthGuard implements CanActivate {
  constructor(@Inject(TokenService) private readonly tokens: TokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await verifyCaller(this.tokens, context.switchToHttp().getRequest<FastifyRequest>());
    return true;
  }
}
