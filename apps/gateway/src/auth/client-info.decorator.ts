import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Who is on the other end: the address (a proxy's header only where `gateway.trust_proxy` says so) and the User-Agent. */
export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

export const clientInfoOf = (request: FastifyRequest): ClientInfo => {
  const agent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof agent === 'string' && agent !== '' ? agent : null };
};

export const Client = createParamDecorator((_data: unknown, ctx: ExecutionContext): ClientInfo =>
  clientInfoOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
