import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import type { FastifyRequest } from 'fastify';
import { appOf } from '../http/current-app.decorator.js';
import type { RoutedRequest } from '../http/routed-request.js';
import type { CustomRouteInput } from './custom-route.service.js';
import type { RouteMatch } from './custom-routes.js';

/** A request the host rewrite matched against the app's custom routes, with the parts a route reads. */
export interface CustomRouteCall {
  match: RouteMatch;
  input: CustomRouteInput;
}

/** The matched custom route of this request and its input; 404 when there is no match. */
export const RouteCall = createParamDecorator((_data: unknown, ctx: ExecutionContext): CustomRouteCall => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  const match = (request.raw as RoutedRequest).sogomsRoute;
  // Reached without a match only by asking for {base}/_custom itself.
  if (match === undefined) throw new SogomsError('NOT_FOUND', 'Not found');
  const url = request.originalUrl ?? request.url;
  return {
    match,
    input: {
      method: request.method,
      path: url.split('?')[0].slice(appOf(request).config.basePath.length),
      query: (request.query ?? {}) as Record<string, unknown>,
      body: request.body,
      headers: request.headers,
    },
  };
});
