import type { AppPushConfig } from '@sogoms/config';
import type { IpcClient, PushCrudEvent } from '@sogoms/ipc';
import { describe, expect, it } from 'vitest';
import { compileApp } from '../crud/compiled-app.js';
import { crudTestSchema } from '../crud/testing/crud-schema.fixture.js';
import type { CrudHookContext } from '../extensions/crud-hooks.js';
import { PushClient } from '../ipc/push.client.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { crudPushModule } from './crud-push.module.js';

/** A connected transport that records what the client hands over (the broker side is tested end to end). */
const recordingClient = (): { client: PushClient; sent: PushCrudEvent[] } => {
  const sent: PushCrudEvent[] = [];
  const ipc = {
    isConnected: () => true,
    emit: (_pattern: string, data: unknown) => sent.push(data as PushCrudEvent),
  } as unknown as IpcClient;
  return { client: new PushClient(ipc), sent };
};

const runtimeWith = (push: AppPushConfig | null): AppRuntime =>
  ({ config: { name: 'shop', push }, crud: compileApp(crudTestSchema()) }) as unknown as AppRuntime;

const after = (
  hooks: ReturnType<typeof crudPushModule>,
  ctx: Partial<CrudHookContext>,
  row: Record<string, unknown>,
): void => {
  const context: CrudHookContext = { app: 'shop', table: 'tasks', op: 'create', id: '1', ...ctx };
  // The push hook is synchronous: it hands the event over and returns.
  void hooks?.hooks.after?.(context, { row });
};

describe('crudPushModule', () => {
  it('is null without push:, and refuses unknown tables and broadcasts of owned rows', () => {
    const { client } = recordingClient();
    expect(crudPushModule(runtimeWith(null), client)).toBeNull();
    expect(() =>
      crudPushModule(runtimeWith({ tables: { nope: { channel: 'x', audience: 'owner' } } }), client),
    ).toThrow('app.yaml push.tables.nope: schema.yaml has no table nope');
    expect(() =>
      crudPushModule(runtimeWith({ tables: { tasks: { channel: 't', audience: 'broadcast' } } }), client),
    ).toThrow(/push.tables.tasks: audience broadcast would show rows of an owner-filtered table/);
  });

  it("sends a write of an owned row to its owner, a bypassing role's delete to nobody, reads never", () => {
    const { client, sent } = recordingClient();
    const hooks = crudPushModule(
      runtimeWith({
        tables: {
          tasks: { channel: 'tasks', audience: 'owner' },
          film: { channel: 'films', audience: 'owner' },
        },
      }),
      client,
    );
    expect(hooks?.hooks.tables).toEqual(['tasks']); // film is not owner-filtered: nothing is published
    after(hooks, { user: { id: '7', role: 'default' } }, { id: 1, user_id: 7, title: 'a' });
    after(hooks, { op: 'update', user: { id: '9', role: 'admin' } }, { id: 1, user_id: 7, title: 'b' });
    after(hooks, { op: 'delete', user: { id: '7', role: 'default' } }, { id: 1 });
    after(hooks, { op: 'delete', user: { id: '9', role: 'admin' } }, { id: 2 });
    after(hooks, { op: 'read', user: { id: '7', role: 'default' } }, { id: 1, user_id: 7 });
    expect(sent.map((e) => [e.op, e.owner, e.channel, e.row])).toEqual([
      ['create', '7', 'tasks', { id: 1, user_id: 7, title: 'a' }],
      ['update', '7', 'tasks', { id: 1, user_id: 7, title: 'b' }],
      ['delete', '7', 'tasks', { id: 1 }],
    ]);
  });

  it('broadcasts a table that is not owner-filtered when it says so', () => {
    const { client, sent } = recordingClient();
    const hooks = crudPushModule(
      runtimeWith({ tables: { film: { channel: 'films', audience: 'broadcast' } } }),
      client,
    );
    after(hooks, { table: 'film', op: 'update', id: '3' }, { film_id: 3 });
    expect(sent).toMatchObject([
      { app: 'shop', table: 'film', op: 'update', id: '3', owner: null, channel: 'films' },
    ]);
  });
});
