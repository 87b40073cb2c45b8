import type { PushCrudOp } from '@sogoms/ipc';
import type { CompiledTable } from '../crud/compiled-table.js';
import { isOwned } from '../crud/crud-access.js';
import type { CrudHookContext, CrudHookResult } from '../extensions/crud-hooks.js';
import type { LoadedModule } from '../extensions/hook-runner.js';
import type { PushClient } from '../ipc/push.client.js';
import type { AppRuntime } from '../runtime/app-runtime.js';

/** The name the built-in push hook is known by in logs. */
export const PUSH_MODULE = 'push';

/** Who receives a table's events: the row's owner, or every user of the app. */
interface PushTarget {
  channel: string;
  /** The owner's id for a row written by this caller; undefined when it cannot be known. */
  owner: ((ctx: CrudHookContext, row: Record<string, unknown>) => string | undefined) | null;
}

const isWrite = (op: string): op is PushCrudOp => op === 'create' || op === 'update' || op === 'delete';

/** The owner of an owner-filtered table's row: its owner field as answered, else the caller (the owner rule made it theirs). */
const ownerOf =
  (table: CompiledTable) =>
  (ctx: CrudHookContext, row: Record<string, unknown>): string | undefined => {
    const value = table.owner === null ? undefined : row[table.owner.name];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint')
      return String(value);
    // A role that bypasses the owner rule may write another user's row: then only the row tells.
    if (ctx.user === undefined || table.ownerBypass.has(ctx.user.role)) return undefined;
    return ctx.user.id;
  };

/**
 * The app's `push:` as a CRUD hook, or null without one. After a write committed it hands
 * `{op, table, id, row}` to the push service and returns without waiting (PushClient.crudEvent),
 * so a request never waits for push. An owner-filtered table publishes to its row owner's topic;
 * any other table publishes only with `audience: broadcast`, so no row reaches a user who could
 * not read it. `row` is the row as the API answered it: the hook runs after the app's modules.
 * A table name that is not in the schema, or a broadcast of owned rows, fails the snapshot.
 */
export const crudPushModule = (runtime: AppRuntime, push: PushClient): LoadedModule | null => {
  const config = runtime.config.push;
  if (config === null) return null;
  const app = runtime.config.name;
  const targets = new Map<string, PushTarget>();
  for (const [name, spec] of Object.entries(config.tables)) {
    const table = runtime.crud.tables.get(name);
    if (table === undefined)
      throw new Error(`app ${app}: app.yaml push.tables.${name}: schema.yaml has no table ${name}`);
    const owned = isOwned(table);
    if (spec.audience === 'broadcast') {
      if (owned)
        throw new Error(
          `app ${app}: app.yaml push.tables.${name}: audience broadcast would show rows of an owner-filtered table to every user; remove it`,
        );
      targets.set(name, { channel: spec.channel, owner: null });
    } else if (owned) targets.set(name, { channel: spec.channel, owner: ownerOf(table) });
    // Neither owned nor broadcast: nothing is published (no one is known to be allowed to see it).
  }
  return {
    name: PUSH_MODULE,
    hooks: {
      name: PUSH_MODULE,
      tables: [...targets.keys()],
      after(ctx: CrudHookContext, result: CrudHookResult): void {
        const target = targets.get(ctx.table);
        if (target === undefined || !isWrite(ctx.op) || !('row' in result) || ctx.id === undefined) return;
        const owner = target.owner === null ? null : target.owner(ctx, result.row);
        if (owner === undefined) return;
        push.crudEvent({
          app,
          table: ctx.table,
          op: ctx.op,
          id: ctx.id,
          row: result.row,
          channel: target.channel,
          owner,
          at: new Date().toISOString(),
        });
      },
    },
  };
};
