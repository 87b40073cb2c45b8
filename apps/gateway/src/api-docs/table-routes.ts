import { CRUD_OPS, type CrudOp, type TableDef } from '@sogoms/schema';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One route the CRUD engine serves for a table, as the dictionary and the OpenAPI document show it. */
export interface TableRoute {
  op: CrudOp;
  method: HttpMethod;
  /** Below the base path, OpenAPI style: `/film` or `/film/{id}`. */
  path: string;
  /** Callable without a token (the op is in the table's `public:`). */
  public: boolean;
}

const READ_ONLY_OPS: readonly CrudOp[] = ['list', 'read'];

/**
 * The operations a table serves: its `crud:`, without writes for a view and with nothing but
 * list for a table without a key (the same rule as the CRUD engine's compiled table).
 */
export const servedOps = (table: TableDef): CrudOp[] =>
  CRUD_OPS.filter(
    (op) =>
      table.crud.includes(op) &&
      (!table.view || READ_ONLY_OPS.includes(op)) &&
      (table.primary.length > 0 || op === 'list'),
  );

/** Every route of a table in a stable order: list, read, create, update (PATCH, PUT), delete. */
export const tableRoutes = (table: TableDef): TableRoute[] => {
  const collection = `/${table.name}`;
  const item = `${collection}/{id}`;
  const routes: TableRoute[] = [];
  for (const op of servedOps(table)) {
    const isPublic = table.public.includes(op);
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
