import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ADMIN_ROLE } from '@sogoms/auth';
import { SogomsError } from '@sogoms/common';
import type { FastifyRequest } from 'fastify';
import { JwtAuthGuard } from '../auth/jwt-auth.guard.js';

/**
 * A valid token of the request's app (JwtAuthGuard: 401 without one) whose role is `admin`
 * (403 otherwise). The role is the one the token carries, set at login.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(@Inject(JwtAuthGuard) private readonly jwt: JwtAuthGuard) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.jwt.canActivate(context);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.caller?.role !== ADMIN_ROLE) throw new SogomsError('FORBIDDEN', 'This needs the admin role');
    return true;
  }
}
