import { Inject, Injectable, Module } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import type { AppConfig, AppModuleSpec } from '@sogoms/config';
import type { LogReporter } from '@sogoms/ipc';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbClient } from '../ipc/db.client.js';
import type { CrudHookContext } from './crud-hooks.js';
import { HookRunner } from './hook-runner.js';
import { SOGOMS_HOOKS, SOGOMS_MODULE_CONTEXT, type ModuleContext } from './module-context.js';
import { ModuleLoader, type Importer } from './module-loader.js';

/** Records the SQL a module sends; answers one row. */
const recordingDb = () => {
  const calls: { app: string; sql: string; params: unknown[] }[] = [];
  const db = {
    query: (app: string, sql: string, params: unknown[] = []) => {
      calls.push({ app, sql, params });
      return Promise.resolve([{ next: 4 }]);
    },
    queryOne: (app: string, sql: string, params: unknown[] = []) => {
      calls.push({ app, sql, params });
      return Promise.resolve({ next: 4 });
    },
    transaction: () => Promise.resolve([]),
  };
  return { calls, db: db as unknown as DbClient };
};

const events: unknown[][] = [];
const logs = {
  event: (...args: unknown[]) => void events.push(['event', ...args]),
  error: (...args: unknown[]) => void events.push(['error', ...args]),
} as unknown as LogReporter;

const appWith = (modules: AppModuleSpec[]): AppConfig =>
  ({ name: 'demo', basePath: '/api', modules }) as AppConfig;

const fileSpec = (target: string, options: Record<string, unknown> = {}): AppModuleSpec => ({
  name: 'mod',
  kind: 'file',
  target,
  options,
});

const ctx = (over: Partial<CrudHookContext> = {}): CrudHookContext => ({
  app: 'demo',
  table: 'tasks',
  op: 'create',
  input: {},
  user: { id: '7', role: 'default' },
  ...over,
});

describe('ModuleLoader', () => {
  let dir: string;
  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sogoms-modules-'));
    events.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a plain ESM file whose default export is a factory, with the module context', async () => {
    const file = write(
      'position.mjs',
      `export default (ctx) => ({
        tables: ['tasks'],
        async before(hook) {
          const row = await ctx.db.queryOne('SELECT ? AS next', [hook.user.id]);
          hook.input.position = row.next + ctx.options.step;
          ctx.log.event('position_set', 'set', { table: hook.table });
        },
      });`,
    );
    const { calls, db } = recordingDb();
    const loaded = await new ModuleLoader({ db, logs }).load(appWith([fileSpec(file, { step: 10 })]), 1);
    expect(loaded.modules.map((m) => m.name)).toEqual(['mod']);
    const hook = ctx();
    await new HookRunner(loaded.modules).before(hook);
    expect(hook.input).toEqual({ position: 14 });
    expect(calls).toEqual([{ app: 'demo', sql: 'SELECT ? AS next', params: ['7'] }]);
    expect(events).toEqual([['event', 'demo', 'position_set', 'set', { module: 'mod', table: 'tasks' }]]);
  });

  it('loads a hooks object, and a class constructed with the context', async () => {
    const object = write('object.mjs', 'export default { after() {} };');
    const klass = write(
      'klass.js',
      'export default class Audit { constructor(ctx) { this.app = ctx.app; } before(h) { h.input.by = this.app; } }',
    );
    const { db } = recordingDb();
    const loaded = await new ModuleLoader({ db, logs }).load(
      appWith([fileSpec(object), { ...fileSpec(klass), name: 'audit' }]),
      1,
    );
    const hook = ctx();
    await new HookRunner(loaded.modules).before(hook);
    expect(hook.input).toEqual({ by: 'demo' });
  });

  it('refuses with ctx.error, keeping the code', async () => {
    const file = write(
      'guard.mjs',
      `export default (ctx) => ({ before(h) { if (!h.input.title) throw ctx.error('VALIDATION_FAILED', 'Need a title', { title: ['required'] }); } });`,
    );
    const { db } = recordingDb();
    const loaded = await new ModuleLoader({ db, logs }).load(appWith([fileSpec(file)]), 1);
    const refusal = new HookRunner(loaded.modules).before(ctx());
    await expect(refusal).rejects.toBeInstanceOf(SogomsError);
    await expect(refusal).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { title: ['required'] },
    });
  });

  it('collects routes declared by routes(router)', async () => {
    const file = write(
      'routes.mjs',
      `export default { routes(r) {
        r.get('/tasks/:id/next', (req) => ({ id: req.params.id }));
        r.post('/tasks/reorder', () => null, { status: 201, summary: 'Reorder', public: true });
      } };`,
    );
    const { db } = recordingDb();
    const loaded = await new ModuleLoader({ db, logs }).load(appWith([fileSpec(file)]), 1);
    expect(loaded.routes.map((r) => [r.method, r.path, r.public, r.status])).toEqual([
      ['GET', '/tasks/:id/next', false, 200],
      ['POST', '/tasks/reorder', true, 201],
    ]);
    expect(loaded.routes[0].kind === 'module' && loaded.routes[0].summary).toBe(
      'GET /tasks/:id/next (module mod)',
    );
  });

  it('re-reads an edited file on the next snapshot version', async () => {
    const file = write('v.mjs', "export default { before(h) { h.input.v = 'one'; } };");
    const { db } = recordingDb();
    const loader = new ModuleLoader({ db, logs });
    const first = await loader.load(appWith([fileSpec(file)]), 1);
    write('v.mjs', "export default { before(h) { h.input.v = 'two'; } };");
    const second = await loader.load(appWith([fileSpec(file)]), 2);
    const a = ctx();
    const b = ctx();
    await new HookRunner(first.modules).before(a);
    await new HookRunner(second.modules).before(b);
    expect([a.input?.v, b.input?.v]).toEqual(['one', 'two']);
  });

  it('names the app, module and reason of a failure', async () => {
    const { db } = recordingDb();
    const loader = new ModuleLoader({ db, logs });
    const cases: [string, string][] = [
      ['export const x = 1;', 'expected a default export'],
      ['export default { befor() {} };', 'the hooks object has none of before, after, routes'],
      ['export default { before: 1 };', 'before must be a function'],
      [
        "export default { routes(r) { r.get('/_schema/x', () => 1); } };",
        'expected a path below the base path',
      ],
      ['export default {', 'mod'],
    ];
    for (const [index, [text, message]] of cases.entries()) {
      const file = write(`bad${index}.mjs`, text);
      await expect(loader.load(appWith([fileSpec(file)]), 1)).rejects.toThrow(message);
    }
    await expect(loader.load(appWith([fileSpec(join(dir, 'bad0.mjs'))]), 1)).rejects.toThrow(
      /^app demo: module mod \(.*bad0\.mjs\): expected a default export/,
    );
  });

  describe('Nest modules', () => {
    @Injectable()
    class PositionHooks {
      constructor(@Inject(SOGOMS_MODULE_CONTEXT) readonly context: ModuleContext) {}
      before(hook: CrudHookContext): void {
        hook.input = { ...hook.input, app: this.context.app, module: this.context.module };
      }
    }

    @Module({ providers: [PositionHooks, { provide: SOGOMS_HOOKS, useExisting: PositionHooks }] })
    class PositionModule {}

    const importing =
      (value: unknown): Importer =>
      () =>
        Promise.resolve({ default: value });

    it('runs a decorated Nest module in its own context, injecting the module context', async () => {
      const { db } = recordingDb();
      const loader = new ModuleLoader({ db, logs }, importing(PositionModule));
      const loaded = await loader.load(
        appWith([{ name: 'nest-position', kind: 'package', target: 'x', options: {} }]),
        1,
      );
      const hook = ctx();
      await new HookRunner(loaded.modules).before(hook);
      expect(hook.input).toEqual({ app: 'demo', module: 'nest-position' });
      await loaded.close();
    });

    it('accepts a dynamic-module object with a factory provider (what plain JS writes)', async () => {
      const file = write(
        'dynamic.mjs',
        `class TaskModule {}
        export default {
          module: TaskModule,
          providers: [{ provide: 'SOGOMS_HOOKS', useFactory: (ctx) => ({ before(h) { h.input.from = ctx.options.from; } }), inject: ['SOGOMS_MODULE_CONTEXT'] }],
        };`,
      );
      const { db } = recordingDb();
      const loaded = await new ModuleLoader({ db, logs }).load(
        appWith([fileSpec(file, { from: 'nest' })]),
        1,
      );
      const hook = ctx();
      await new HookRunner(loaded.modules).before(hook);
      expect(hook.input).toEqual({ from: 'nest' });
      await loaded.close();
    });

    it('refuses a Nest module without SOGOMS_HOOKS or with controllers', async () => {
      @Module({ providers: [] })
      class Empty {}
      const { db } = recordingDb();
      const spec: AppModuleSpec = { name: 'n', kind: 'package', target: 'x', options: {} };
      await expect(new ModuleLoader({ db, logs }, importing(Empty)).load(appWith([spec]), 1)).rejects.toThrow(
        'a Nest module must provide SOGOMS_HOOKS',
      );
      class SomeController {}
      await expect(
        new ModuleLoader({ db, logs }, importing({ module: Empty, controllers: [SomeController] })).load(
          appWith([spec]),
          1,
        ),
      ).rejects.toThrow('Nest controllers cannot be served');
    });
  });
});
