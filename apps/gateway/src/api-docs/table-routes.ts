import { CRUD_OPS, type CrudOp, type TableDef } from '@sogoms/schema';

import type { HttpMethod } from '../http/http-method.js';

export type { HttpMethod };

/** One route the CRUD engine serves for a table, as the dictionary and the OpenAPI document show it. */
export interface TableRoute {
  op: CrudOp;
  method: HttpMethod;
  /** Below the base path, OpenAPI style: `/film` or `/film/{id}`. */
  path: string;
  /** Callable without a token (the op is in the table's `public:`). */
  public: boolean;
}

/**
 * What a table actually serves, and which of it without a token. The CRUD engine's compiled
 * table is the one source (`crudAccessOf`); the docs never restate its rules.
 */
export interface TableAccess {
  ops: ReadonlySet<CrudOp>;
  public: ReadonlySet<CrudOp>;
}

/** Resolves a table's access; docs built without a compiled app fall back to `crud:`/`public:` as written. */
export type AccessOf = (table: TableDef) => TableAccess;

export const accessAsWritten: AccessOf = (table) => ({
  ops: new Set(table.crud),
  public: new Set(table.public),
});

/** Every route of a table in a stable order: list, read, create, update (PATCH, PUT), delete. */
export const tableRoutes = (table: TableDef, accessOf: AccessOf = accessAsWritten): TableRoute[] => {
  const collection = `/${table.name}`;
  const item = `${collection}/{id}`;
  const routes: TableRoute[] = [];
  const access = accessOf(table);
  for (const op of CRUD_OPS.filter((o) => access.ops.has(o))) {
    const isPublic = access.public.has(op);
    const add = (method: HttpMethod, path: string): void =>
      void routes.push({ op, method, path, public: isPublic });
    switch (op) {
      case 'list':
        add('GET', collection);
        break;
      case 'read':
        add('GET', item);
        break;
      case 'create':
        add('POST', collection);
        break;
      case 'update':
        add('PATCH', item);
        add('PUT', item);
        break;
      case 'delete':
        add('DELETE', item);
        break;
    }
  }
  return routes;
};
