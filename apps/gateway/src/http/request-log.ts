import type { FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import type { Logger } from 'pino';
import { APP_ROUTE_PREFIX, CUSTOM_ROUTE, type RoutedRequest } from './routed-request.js';

const APP_PREFIX = `/${APP_ROUTE_PREFIX}`;

/** The route as declared, below the app's base path (`/:table/:id`), never the raw URL with its ids. */
export const routePattern = (request: FastifyRequest): string => {
  const raw = request.raw as RoutedRequest;
  const custom = raw.sogomsRoute?.route.path;
  const url = request.routeOptions.url ?? '(no route)';
  if (url === CUSTOM_ROUTE && custom !== undefined) return custom;
  return url.startsWith(`${APP_PREFIX}/`) ? url.slice(APP_PREFIX.length) : url;
};

/**
 * One line per answered request at info: method, app, route pattern, status, ms, the client's
 * address (the proxy's X-Forwarded-For when it is trusted: gateway.trust_proxy) and Fastify's
 * request id; never a header (Authorization) or a body. `percent` samples (100 = every request).
 */
export const requestLogHook =
  (log: Logger, percent: number, random: () => number = Math.random): onResponseHookHandler =>
  (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    if (percent < 100 && random() * 100 >= percent) return done();
    log.info(
      {
        req_id: request.id,
        method: request.method,
        app: (request.raw as RoutedRequest).sogomsApp?.config.name ?? null,
        route: routePattern(request),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ip: request.ip,
      },
      'request',
    );
    done();
  };
