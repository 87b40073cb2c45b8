import type { RouteSegment } from './scenario.types.js';

const LITERAL_SEGMENT = /^[A-Za-z0-9._~-]+$/;
const PARAM_SEGMENT = /^:([a-z_][a-z0-9_]*)$/;

/** What a route path of a scenario or a module looks like, for messages. */
export const ROUTE_PATH_EXPECTED =
  'a path below the base path: /segment/:param/..., segments of [A-Za-z0-9._~-] or :snake_case, ' +
  'not starting with /_ or /auth';

/**
 * `/projects/:id/summary` → segments, or null when it is not a route path an app may declare.
 * Paths whose first segment starts with `_` or is `auth` belong to the gateway (docs, login).
 */
export const parseRoutePath = (path: unknown): RouteSegment[] | null => {
  if (typeof path !== 'string' || !path.startsWith('/') || path.length === 1 || path.endsWith('/'))
    return null;
  const segments: RouteSegment[] = [];
  const seen = new Set<string>();
  for (const part of path.slice(1).split('/')) {
    const param = PARAM_SEGMENT.exec(part);
    if (param !== null && !seen.has(param[1])) {
      seen.add(param[1]);
      segments.push({ param: param[1] });
    } else if (LITERAL_SEGMENT.test(part)) {
      segments.push({ literal: part });
    } else {
      return null;
    }
  }
  const first = segments[0];
  if ('literal' in first && (first.literal.startsWith('_') || first.literal === 'auth')) return null;
  return segments;
};

/** `GET /projects/:` — two routes with the same key would shadow each other. */
export const routeShapeKey = (method: string, segments: readonly RouteSegment[]): string =>
  `${method} /${segments.map((s) => ('param' in s ? ':' : s.literal)).join('/')}`;
