import type { CrudEvent, CrudHookContext, CrudHookResult } from './crud-hooks.js';

/** The `{app, table, op, id, row, user}` event of one finished operation, for modules that forward it. */
export const crudEvent = (ctx: CrudHookContext, result: CrudHookResult): CrudEvent => {
  const event: CrudEvent = { app: ctx.app, table: ctx.table, op: ctx.op };
  if (ctx.id !== undefined) event.id = ctx.id;
  if ('row' in result) event.row = result.row;
  else event.rows = result.rows;
  if (ctx.user !== undefined) event.user = ctx.user;
  return event;
};
