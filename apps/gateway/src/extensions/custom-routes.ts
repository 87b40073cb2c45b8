import { routeShapeKey, type CompiledScenario, type RouteSegment } from '@sogoms/schema';
import type { HttpMethod } from '../http/http-method.js';
import type { ModuleRouteHandler } from './crud-hooks.js';

interface RouteBase {
  method: HttpMethod;
  /** As declared, e.g. `/projects/:id/summary` (below the base path). */
  path: string;
  segments: readonly RouteSegment[];
  public: boolean;
  status: number;
}

/** A route an app declares besides its tables: a scenario endpoint or a module's route. */
export type CustomRoute =
  | (RouteBase & { kind: 'scenario'; scenario: CompiledScenario })
  | (RouteBase & { kind: 'module'; module: string; summary: string; handler: ModuleRouteHandler });

export interface RouteMatch {
  route: CustomRoute;
  params: Record<string, string>;
}

/** More literal segments first, so `/tasks/summary` wins over `/tasks/:id`. */
const literalCount = (route: CustomRoute): number => route.segments.filter((s) => 'literal' in s).length;

/**
 * The custom routes of one app, matched by the host rewrite before Fastify routes the request
 * (so they need no route of their own and may sit anywhere below the base path, before the
 * generated CRUD routes). Built once per snapshot; a duplicate method and path shape throws.
 */
export class CustomRouteTable {
  static readonly EMPTY = new CustomRouteTable([]);

  /** Routes by `METHOD segment-count`, most literal first. */
  private readonly byShape = new Map<string, CustomRoute[]>();

  constructor(readonly routes: readonly CustomRoute[]) {
    const seen = new Map<string, CustomRoute>();
    for (const route of routes) {
      const key = routeShapeKey(route.method, route.segments);
      const other = seen.get(key);
      if (other !== undefined)
        throw new Error(
          `${describe(route)} and ${describe(other)} declare the same route ${route.method} ${route.path}`,
        );
      seen.set(key, route);
      const bucket = `${route.method} ${route.segments.length}`;
      const list = this.byShape.get(bucket) ?? [];
      list.push(route);
      this.byShape.set(bucket, list);
    }
    for (const list of this.byShape.values()) list.sort((a, b) => literalCount(b) - literalCount(a));
  }

  get size(): number {
    return this.routes.length;
  }

  /** The route for `method` and a path below the base path (`/projects/7/summary`), if any. */
  match(method: string, path: string): RouteMatch | undefined {
    if (this.routes.length === 0) return undefined;
    const parts = path.split('/').slice(1);
    const candidates = this.byShape.get(`${method} ${parts.length}`);
    if (candidates === undefined) return undefined;
    for (const route of candidates) {
      const params = matchSegments(route.segments, parts);
      if (params !== null) return { route, params };
    }
    return undefined;
  }
}

const describe = (route: CustomRoute): string =>
  route.kind === 'scenario' ? `scenario ${route.scenario.id}` : `module ${route.module}`;

const matchSegments = (segments: readonly RouteSegment[], parts: string[]): Record<string, string> | null => {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const part = parts[i];
    if ('literal' in segment) {
      if (part !== segment.literal) return null;
      continue;
    }
    if (part === '') return null;
    try {
      params[segment.param] = decodeURIComponent(part);
    } catch {
      return null; // malformed percent-encoding: no route of ours
    }
  }
  return params;
};

declare module '../runtime/app-runtime.js' {
  interface AppRuntime {
    /** Scenario endpoints and module routes, matched by the host rewrite; absent: none. */
    routes?: CustomRouteTable;
  }
}

declare module '../http/routed-request.js' {
  interface RoutedRequest {
    /** The custom route the host rewrite matched, with its path parameters. */
    sogomsRoute?: RouteMatch;
  }
}
