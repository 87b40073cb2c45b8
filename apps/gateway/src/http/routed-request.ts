import type { IncomingMessage } from 'node:http';
import type { AppRuntime } from '../runtime/app-runtime.js';

/** Internal prefixes the app routes and the routing errors are mounted at. */
export const APP_ROUTE_PREFIX = '_app';
export const UNKNOWN_HOST_ROUTE = '/_sogoms/unknown-host';
export const NOT_FOUND_ROUTE = '/_sogoms/not-found';

/** Where the host rewrite sends a request that matched a scenario endpoint or a module route. */
export const CUSTOM_ROUTE = `/${APP_ROUTE_PREFIX}/_custom`;

/**
 * The raw request carries the app it was routed to (set once by the host rewrite, before Fastify
 * routes it); extensions/ adds the custom route it matched.
 */
export interface RoutedRequest extends IncomingMessage {
  sogomsApp?: AppRuntime;
}
