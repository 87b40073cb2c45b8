import { parseRoutePath, ROUTE_PATH_EXPECTED } from '@sogoms/schema';
import type { CustomRoute } from './custom-routes.js';
import type {
  ModuleRouteHandler,
  ModuleRouteMethod,
  ModuleRouteOptions,
  ModuleRouter,
} from './crud-hooks.js';

const METHODS: readonly ModuleRouteMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Collects the routes a module declares in `routes(router)`, checking each as it comes. */
export class CollectingRouter implements ModuleRouter {
  readonly routes: CustomRoute[] = [];

  constructor(private readonly module: string) {}

  add(
    method: ModuleRouteMethod,
    path: string,
    handler: ModuleRouteHandler,
    options: ModuleRouteOptions = {},
  ): void {
    const where = `module ${this.module}: route ${String(method)} ${String(path)}`;
    if (!METHODS.includes(method)) throw new Error(`${where}: method must be one of ${METHODS.join(', ')}`);
    const segments = parseRoutePath(path);
    if (segments === null) throw new Error(`${where}: expected ${ROUTE_PATH_EXPECTED}`);
    if (typeof handler !== 'function') throw new Error(`${where}: the handler must be a function`);
    const status = options.status ?? 200;
    if (!Number.isInteger(status) || status < 200 || status > 299)
      throw new Error(`${where}: status must be a success status from 200 to 299`);
    this.routes.push({
      kind: 'module',
      method,
      path,
      segments,
      public: options.public === true,
      status,
      module: this.module,
      summary: options.summary ?? `${method} ${path} (module ${this.module})`,
      handler,
    });
  }

  get(path: string, handler: ModuleRouteHandler, options?: ModuleRouteOptions): void {
    this.add('GET', path, handler, options);
  }

  post(path: string, handler: ModuleRouteHandler, options?: ModuleRouteOptions): void {
    this.add('POST', path, handler, options);
  }

  put(path: string, handler: ModuleRouteHandler, options?: ModuleRouteOptions): void {
    this.add('PUT', path, handler, options);
  }

  patch(path: string, handler: ModuleRouteHandler, options?: ModuleRouteOptions): void {
    this.add('PATCH', path, handler, options);
  }

  delete(path: string, handler: ModuleRouteHandler, options?: ModuleRouteOptions): void {
    this.add('DELETE', path, handler, options);
  }
}
