import { SogomsError } from '@sogoms/common';
import type { CrudHookContext, CrudHookResult, SogomsModule } from './crud-hooks.js';

type BeforeHook = (ctx: CrudHookContext) => void | Promise<void>;
type AfterHook = (ctx: CrudHookContext, result: CrudHookResult) => void | Promise<void>;

interface NamedHook<H> {
  module: string;
  run: H;
}

/** Reports a module's failure (the gateway logs it); the caller still gets an error. */
export type HookFailureReporter = (module: string, error: unknown) => void;

/** A loaded module with the name it is known by (its `name`, or its entry in app.yaml). */
export interface LoadedModule {
  name: string;
  hooks: SogomsModule;
}

/**
 * Calls the modules' `before`/`after` hooks of one app, in module order. Built once per
 * snapshot; the per-table hook lists are resolved on first use and kept. With no module
 * hooking a table, `before`/`after` return `undefined` without allocating: the CRUD engine
 * may write `await hooks.before(ctx)` unconditionally, or skip building the context when
 * `hooks.enabled` is false.
 */
export class HookRunner {
  /** No module: what an app without `modules:` gets. */
  static readonly NONE = new HookRunner([]);

  /** False when no module has a `before` or an `after` hook for any table. */
  readonly enabled: boolean;
  private readonly beforeByTable = new Map<string, NamedHook<BeforeHook>[]>();
  private readonly afterByTable = new Map<string, NamedHook<AfterHook>[]>();

  constructor(
    private readonly modules: readonly LoadedModule[],
    private readonly onFailure: HookFailureReporter = () => undefined,
  ) {
    this.enabled = modules.some((m) => m.hooks.before !== undefined || m.hooks.after !== undefined);
  }

  /** Whether any module hooks this table (for either phase). */
  hooks(table: string): boolean {
    return this.beforeHooks(table).length > 0 || this.afterHooks(table).length > 0;
  }

  before(ctx: CrudHookContext): Promise<void> | undefined {
    if (!this.enabled) return undefined;
    const hooks = this.beforeHooks(ctx.table);
    if (hooks.length === 0) return undefined;
    return this.runAll(hooks, (hook) => hook.run(ctx));
  }

  after(ctx: CrudHookContext, result: CrudHookResult): Promise<void> | undefined {
    if (!this.enabled) return undefined;
    const hooks = this.afterHooks(ctx.table);
    if (hooks.length === 0) return undefined;
    return this.runAll(hooks, (hook) => hook.run(ctx, result));
  }

  private async runAll<H>(
    hooks: readonly NamedHook<H>[],
    call: (hook: NamedHook<H>) => void | Promise<void>,
  ): Promise<void> {
    for (const hook of hooks) {
      try {
        await call(hook);
      } catch (error) {
        // A module's refusal keeps its code; anything else is a bug in the module: logged, hidden.
        if (error instanceof SogomsError && error.code !== 'INTERNAL') throw error;
        this.onFailure(hook.module, error);
        throw new SogomsError('INTERNAL', `Module ${hook.module} failed`);
      }
    }
  }

  private beforeHooks(table: string): NamedHook<BeforeHook>[] {
    let hooks = this.beforeByTable.get(table);
    if (hooks === undefined) {
      hooks = this.select(table, (m) => (m.before === undefined ? undefined : m.before.bind(m)));
      this.beforeByTable.set(table, hooks);
    }
    return hooks;
  }

  private afterHooks(table: string): NamedHook<AfterHook>[] {
    let hooks = this.afterByTable.get(table);
    if (hooks === undefined) {
      hooks = this.select(table, (m) => (m.after === undefined ? undefined : m.after.bind(m)));
      this.afterByTable.set(table, hooks);
    }
    return hooks;
  }

  private select<H>(table: string, pick: (hooks: SogomsModule) => H | undefined): NamedHook<H>[] {
    const selected: NamedHook<H>[] = [];
    for (const { name, hooks } of this.modules) {
      if (hooks.tables !== undefined && !hooks.tables.includes(table)) continue;
      const run = pick(hooks);
      if (run !== undefined) selected.push({ module: name, run });
    }
    return selected;
  }
}

declare module '../runtime/app-runtime.js' {
  interface AppRuntime {
    /** The hooks of the app's modules (`modules:` in app.yaml); absent: none. */
    hooks?: HookRunner;
  }
}
