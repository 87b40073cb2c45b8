import type { CrudOp } from '@sogoms/schema';

/**
 * The one hook interface between the generated CRUD API and code that extends it (the modules
 * named in app.yaml `modules:`; later field encryption, MQTT push, audit and webhooks). The CRUD
 * engine calls `HookRunner.before` and `HookRunner.after` (hook-runner.ts) around every
 * operation; it never knows which modules exist. Documented for module authors in docs/api.md.
 */

/** The caller, from the verified token; absent on a public route called without a token. */
export interface CrudUser {
  id: string;
  role: string;
}

/** A row as the API answers it (hidden fields already removed). */
export type CrudRow = Record<string, unknown>;

/**
 * What one CRUD operation is about. The same object goes to `before` and then to `after`, so a
 * module may leave notes for itself on it only through its own state keyed by this object.
 */
export interface CrudHookContext {
  app: string;
  table: string;
  op: CrudOp;
  /**
   * read/update/delete: the key as in the URL, key values in key order joined by commas
   * (`7`, or `1,23` for a composite key).
   */
  id?: string;
  /**
   * create/update: the body of one row (a bulk create calls the hooks once per row). `before`
   * may change it in place (add, change or delete keys); the engine validates it AFTER the
   * hooks, so a module cannot slip an unknown field or a bad value past validation, and an
   * owner-filtered table's owner field is still forced from the token after the hooks.
   */
  input?: Record<string, unknown>;
  /**
   * list: the query as parsed by qs (`filter`, `sort`, `limit`, ...) before the engine reads it;
   * `before` may change it (e.g. add a filter). Absent for other ops.
   */
  query?: Record<string, unknown>;
  user?: CrudUser;
}

/**
 * What an operation produced, given to `after`: `row` for read/create/update/delete (the row as
 * answered; for delete the row as it was, or at least its key fields), `rows` for a list.
 * `after` may change rows in place (e.g. decrypt a field): the engine answers after the hooks.
 */
export type CrudHookResult = { row: CrudRow } | { rows: CrudRow[] };

/**
 * A CRUD event as audit/push/webhook modules see it: `{app, table, op, id, row, user}`. Built
 * from a context and its result by `crudEvent` (crud-event.ts); no separate event bus exists.
 */
export interface CrudEvent {
  app: string;
  table: string;
  op: CrudOp;
  id?: string;
  row?: CrudRow;
  rows?: CrudRow[];
  user?: CrudUser;
}

/**
 * Implemented by a module (the object a module file exports, or the `SOGOMS_HOOKS` provider of a
 * Nest module; see module-loader.ts). Every member is optional.
 */
export interface SogomsModule {
  /** Shown in logs and errors; defaults to the module's entry in app.yaml. */
  name?: string;
  /** Only these tables reach `before`/`after`; absent: every table. Checked once per snapshot. */
  tables?: readonly string[];
  /**
   * Runs before the operation, in module order. May change `ctx.input` or `ctx.query`; may
   * refuse the operation by throwing (a SogomsError from `ModuleContext.error` keeps its code;
   * anything else answers 500 INTERNAL and is logged).
   */
  before?(ctx: CrudHookContext): void | Promise<void>;
  /**
   * Runs after the operation succeeded (for writes: after the commit), in module order, before
   * the answer is sent. A throw here becomes the answer's error although a write is already
   * committed: a module whose work is not part of the answer (push, audit, webhooks) should
   * catch its own errors or work in the background.
   */
  after?(ctx: CrudHookContext, result: CrudHookResult): void | Promise<void>;
  /** Declares the module's own routes under the app's base path (module-routes.ts). */
  routes?(router: ModuleRouter): void;
}

/** A request to a module route, already authenticated unless the route is public. */
export interface ModuleRequest {
  method: string;
  /** The path below the app's base path, e.g. `/tasks/reorder`. */
  path: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  user?: CrudUser;
  headers: Record<string, string | string[] | undefined>;
}

/** Returns the `data` of the success envelope; the route's `status` option sets the HTTP status. */
export type ModuleRouteHandler = (request: ModuleRequest) => unknown;

export interface ModuleRouteOptions {
  /** Reachable without a token (default false: a valid token is required). */
  public?: boolean;
  /** HTTP status of a success, default 200 (201 is usual for a POST that creates). */
  status?: number;
  /** One line for the OpenAPI document. */
  summary?: string;
}

export type ModuleRouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Collects a module's routes. Paths are below the app's base path and may hold `:name`
 * segments (`/tasks/:id/move`); they are matched before the generated CRUD routes.
 */
export interface ModuleRouter {
  add(
    method: ModuleRouteMethod,
    path: string,
    handler: ModuleRouteHandler,
    options?: ModuleRouteOptions,
  ): void;
  get(path: string, handler: ModuleRouteHandler, options?: ModuleRouteOptions): void;
  post(path: string, handler: ModuleRouteHandler, options?: ModuleRouteOptions): void;
  put(path: string, handler: ModuleRouteHandler, options?: ModuleRouteOptions): void;
  patch(path: string, handler: ModuleRouteHandler, options?: ModuleRouteOptions): void;
  delete(path: string, handler: ModuleRouteHandler, options?: ModuleRouteOptions): void;
}
