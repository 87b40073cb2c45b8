import type { IncomingMessage } from 'node:http';
import {
  APP_ROUTE_PREFIX,
  CUSTOM_ROUTE,
  NOT_FOUND_ROUTE,
  UNKNOWN_HOST_ROUTE,
  type RoutedRequest,
} from '../http/routed-request.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import type { GatewayState } from '../snapshot/gateway-state.js';

/**
 * Fastify's `rewriteUrl`: picks the app from the Host header and maps `{base_path}/x` to
 * `/_app/x`, so every app, whatever its base path, is served by the same static routes.
 * `/health` (and `/health/live`, `/health/ready`) stays global; a path outside the app's base path falls through to a 404.
 * The state is read through `stateOf`: Fastify needs the hook before Nest has built the state.
 */
export const hostRewrite =
  (stateOf: () => GatewayState) =>
  (req: IncomingMessage): string => {
    const url = req.url ?? '/';
    const pathEnd = url.indexOf('?');
    const path = pathEnd === -1 ? url : url.slice(0, pathEnd);
    if (path === '/health' || path.startsWith('/health/')) return url;
    const runtime = resolveRuntime(stateOf(), req.headers.host);
    if (runtime === undefined) return UNKNOWN_HOST_ROUTE;
    (req as RoutedRequest).sogomsApp = runtime;
    const base = runtime.config.basePath;
    if (path === base || path.startsWith(`${base}/`)) {
      // Custom routes are declared at runtime: matched here, before the generated CRUD routes.
      const match = runtime.routes?.match(req.method ?? 'GET', path.slice(base.length));
      if (match !== undefined) {
        (req as RoutedRequest).sogomsRoute = match;
        return `${CUSTOM_ROUTE}${url.slice(path.length)}`;
      }
      return `/${APP_ROUTE_PREFIX}${url.slice(base.length)}`;
    }
    // Nothing is served outside the base path; never let a caller reach the internal prefix directly.
    return NOT_FOUND_ROUTE;
  };

const resolveRuntime = (state: GatewayState, host: string | undefined): AppRuntime | undefined => {
  const snapshot = state.current;
  const app = snapshot.registry.resolve(host);
  return app === undefined ? undefined : snapshot.runtimes.get(app.name);
};
