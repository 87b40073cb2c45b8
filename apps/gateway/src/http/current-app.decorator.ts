import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import type { FastifyRequest } from 'fastify';
import type { AppRuntime } from '../runtime/app-runtime.js';
import type { RoutedRequest } from './routed-request.js';

export const appOf = (request: FastifyRequest): AppRuntime => {
  const runtime = (request.raw as RoutedRequest).sogomsApp;
  if (runtime === undefined) throw new SogomsError('NOT_FOUND', 'Unknown host');
  return runtime;
};

/** The app this request was routed to by its Host header. */
export const CurrentApp = createParamDecorator((_data: unknown, ctx: ExecutionContext): AppRuntime =>
  appOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
