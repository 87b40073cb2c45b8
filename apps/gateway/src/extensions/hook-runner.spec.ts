import { SogomsError } from '@sogoms/common';
import { describe, expect, it } from 'vitest';
import type { CrudHookContext, CrudHookResult, SogomsModule } from './crud-hooks.js';
import { crudEvent } from './crud-event.js';
import { HookRunner } from './hook-runner.js';

const context = (over: Partial<CrudHookContext> = {}): CrudHookContext => ({
  app: 'demo',
  table: 'tasks',
  op: 'create',
  input: { title: 'x' },
  user: { id: '7', role: 'default' },
  ...over,
});

describe('HookRunner', () => {
  it('does nothing and returns undefined without modules', () => {
    expect(HookRunner.NONE.enabled).toBe(false);
    expect(HookRunner.NONE.before(context())).toBeUndefined();
    expect(HookRunner.NONE.after(context(), { row: {} })).toBeUndefined();
  });

  it('is disabled when modules only add routes', () => {
    const runner = new HookRunner([{ name: 'r', hooks: { routes: () => undefined } }]);
    expect(runner.enabled).toBe(false);
    expect(runner.before(context())).toBeUndefined();
  });

  it('calls before hooks in module order with the context, which they may change', async () => {
    const seen: string[] = [];
    const first: SogomsModule = {
      before(ctx) {
        seen.push(`first:${ctx.app}/${ctx.table}/${ctx.op}/${ctx.user?.id}`);
        ctx.input = { ...ctx.input, position: 3 };
      },
    };
    const second: SogomsModule = {
      async before(ctx) {
        await Promise.resolve();
        seen.push(`second:${String(ctx.input?.position)}`);
      },
    };
    const runner = new HookRunner([
      { name: 'first', hooks: first },
      { name: 'second', hooks: second },
    ]);
    const ctx = context();
    await runner.before(ctx);
    expect(seen).toEqual(['first:demo/tasks/create/7', 'second:3']);
    expect(ctx.input).toEqual({ title: 'x', position: 3 });
  });

  it('skips modules limited to other tables', async () => {
    const calls: string[] = [];
    const runner = new HookRunner([
      { name: 'only-projects', hooks: { tables: ['projects'], before: (c) => void calls.push(c.table) } },
    ]);
    expect(runner.enabled).toBe(true);
    expect(runner.hooks('tasks')).toBe(false);
    expect(runner.before(context())).toBeUndefined();
    await runner.before(context({ table: 'projects' }));
    expect(calls).toEqual(['projects']);
  });

  it('passes the result to after hooks, keeping `this` of the module', async () => {
    const events: unknown[] = [];
    const audit = {
      sink: events,
      after(this: { sink: unknown[] }, ctx: CrudHookContext, result: CrudHookResult) {
        this.sink.push(crudEvent(ctx, result));
      },
    };
    const runner = new HookRunner([{ name: 'audit', hooks: audit }]);
    await runner.after(context({ op: 'update', id: '5' }), { row: { id: 5, title: 'y' } });
    await runner.after(context({ op: 'list', input: undefined }), { rows: [{ id: 1 }] });
    expect(events).toEqual([
      {
        app: 'demo',
        table: 'tasks',
        op: 'update',
        id: '5',
        row: { id: 5, title: 'y' },
        user: { id: '7', role: 'default' },
      },
      { app: 'demo', table: 'tasks', op: 'list', rows: [{ id: 1 }], user: { id: '7', role: 'default' } },
    ]);
  });

  it('lets a module refuse with its own error code and stops the later hooks', async () => {
    const later: string[] = [];
    const runner = new HookRunner([
      {
        name: 'guard',
        hooks: {
          before: () => {
            throw new SogomsError('VALIDATION_FAILED', 'No', { title: ['not allowed'] });
          },
        },
      },
      { name: 'later', hooks: { before: () => void later.push('called') } },
    ]);
    await expect(runner.before(context())).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { title: ['not allowed'] },
    });
    expect(later).toEqual([]);
  });

  it('hides a module crash behind INTERNAL and reports it', async () => {
    const reported: [string, unknown][] = [];
    const runner = new HookRunner(
      [{ name: 'buggy', hooks: { after: () => Promise.reject(new TypeError('x is undefined')) } }],
      (module, error) => reported.push([module, error]),
    );
    const failure = runner.after(context(), { row: {} });
    await expect(failure).rejects.toBeInstanceOf(SogomsError);
    await expect(failure).rejects.toMatchObject({ code: 'INTERNAL', message: 'Module buggy failed' });
    expect(reported).toHaveLength(1);
    expect(reported[0][0]).toBe('buggy');
    expect(reported[0][1]).toBeInstanceOf(TypeError);
  });
});
