import 'reflect-metadata';
import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig, AppModuleSpec } from '@sogoms/config';
import { pathToFileURL } from 'node:url';
import type { CustomRoute } from './custom-routes.js';
import type { SogomsModule } from './crud-hooks.js';
import type { LoadedModule } from './hook-runner.js';
import {
  createModuleContext,
  SOGOMS_HOOKS,
  SOGOMS_MODULE_CONTEXT,
  type ModuleContext,
  type ModuleServices,
} from './module-context.js';
import { CollectingRouter } from './module-router.js';

/** The modules of one app, loaded for one snapshot. */
export interface LoadedAppModules {
  modules: LoadedModule[];
  routes: CustomRoute[];
  /** Ends the modules' Nest contexts (their onModuleDestroy hooks) once the snapshot is retired. */
  close(): Promise<void>;
}

export const NO_MODULES: LoadedAppModules = { modules: [], routes: [], close: () => Promise.resolve() };

/** Loads an ES module by specifier (a `file:` URL or a package name). Replaceable in tests. */
export type Importer = (specifier: string) => Promise<Record<string, unknown>>;

const defaultImporter: Importer = (specifier) => import(specifier) as Promise<Record<string, unknown>>;

/** The root of a Nest module's context: provides the module context to everything it imports. */
@Module({})
class SogomsModuleHost {}

const NEST_MODULE_KEYS = ['imports', 'providers', 'controllers', 'exports'];

const isNestModuleClass = (value: unknown): value is Type =>
  typeof value === 'function' && NEST_MODULE_KEYS.some((key) => Reflect.hasOwnMetadata(key, value));

const isDynamicModule = (value: unknown): value is DynamicModule =>
  typeof value === 'object' && value !== null && typeof (value as { module?: unknown }).module === 'function';

const isClass = (value: unknown): value is new (ctx: ModuleContext) => SogomsModule =>
  typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));

const hasControllers = (module: Type | DynamicModule): boolean => {
  const type = isDynamicModule(module) ? module.module : module;
  const declared = (Reflect.getMetadata('controllers', type) as unknown[] | undefined) ?? [];
  return declared.length > 0 || (isDynamicModule(module) && (module.controllers?.length ?? 0) > 0);
};

interface Instance {
  hooks: unknown;
  close?: () => Promise<void>;
}

/**
 * A Nest module (decorated class or dynamic-module object) runs in its own application
 * context: the gateway's HTTP server is listening already, so its controllers could never be
 * routed; its hooks come from the `SOGOMS_HOOKS` provider.
 */
const instantiateNest = async (module: Type | DynamicModule, ctx: ModuleContext): Promise<Instance> => {
  if (hasControllers(module))
    throw new Error(
      'Nest controllers cannot be served (routes are fixed at start); declare routes in routes(router)',
    );
  const root: DynamicModule = {
    module: SogomsModuleHost,
    global: true,
    imports: [module],
    providers: [{ provide: SOGOMS_MODULE_CONTEXT, useValue: ctx }],
    exports: [SOGOMS_MODULE_CONTEXT],
  };
  // No `logger` option: Nest would apply it to the static Logger, i.e. to the whole gateway.
  const nest = await NestFactory.createApplicationContext(root, { abortOnError: false });
  try {
    return { hooks: nest.get(SOGOMS_HOOKS, { strict: false }), close: () => nest.close() };
  } catch {
    await nest.close();
    throw new Error(`a Nest module must provide ${SOGOMS_HOOKS} (the object with before/after/routes)`);
  }
};

const instantiate = async (exported: unknown, ctx: ModuleContext): Promise<Instance> => {
  if (isNestModuleClass(exported) || isDynamicModule(exported)) return instantiateNest(exported, ctx);
  if (isClass(exported)) return { hooks: new exported(ctx) };
  if (typeof exported === 'function')
    return { hooks: await (exported as (c: ModuleContext) => unknown)(ctx) };
  if (typeof exported === 'object' && exported !== null) return { hooks: exported };
  throw new Error(
    'expected a default export: a hooks object, a factory (ctx) => hooks, a class, or a Nest module providing SOGOMS_HOOKS',
  );
};

/** Checks the shape of what a module gave; a typo (`befor`) is better caught at load than never called. */
const checkHooks = (hooks: unknown): SogomsModule => {
  if (typeof hooks !== 'object' || hooks === null) throw new Error('the module gave no hooks object');
  const value = hooks as Record<string, unknown>;
  for (const key of ['before', 'after', 'routes'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'function')
      throw new Error(`${key} must be a function`);
  }
  if (
    value.tables !== undefined &&
    (!Array.isArray(value.tables) || !value.tables.every((t) => typeof t === 'string'))
  )
    throw new Error('tables must be a list of table names');
  if (value.before === undefined && value.after === undefined && value.routes === undefined)
    throw new Error('the hooks object has none of before, after, routes');
  return value;
};

/**
 * Loads the modules named in an app's `modules:` for one snapshot version. A file module is
 * imported as `file:...?v={version}`, so a reload reads an edited file again (its own relative
 * imports stay cached, and every version stays in memory: ES modules cannot be unloaded); a
 * package is imported once per process. Any failure names the app and module and loads nothing.
 */
export class ModuleLoader {
  constructor(
    private readonly services: ModuleServices,
    private readonly importer: Importer = defaultImporter,
  ) {}

  async load(app: AppConfig, version: number): Promise<LoadedAppModules> {
    if (app.modules.length === 0) return NO_MODULES;
    const modules: LoadedModule[] = [];
    const routes: CustomRoute[] = [];
    const closers: (() => Promise<void>)[] = [];
    const close = async (): Promise<void> => {
      await Promise.allSettled(closers.map((c) => c()));
    };
    for (const spec of app.modules) {
      try {
        const instance = await instantiate(
          await this.entry(spec, version),
          createModuleContext(app, spec, this.services),
        );
        if (instance.close !== undefined) closers.push(instance.close);
        const hooks = checkHooks(instance.hooks);
        if (hooks.routes !== undefined) {
          const router = new CollectingRouter(spec.name);
          hooks.routes(router);
          routes.push(...router.routes);
        }
        modules.push({ name: spec.name, hooks });
      } catch (error) {
        await close();
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`app ${app.name}: module ${spec.name} (${spec.target}): ${reason}`, { cause: error });
      }
    }
    return { modules, routes, close };
  }

  private async entry(spec: AppModuleSpec, version: number): Promise<unknown> {
    const specifier = spec.kind === 'file' ? `${pathToFileURL(spec.target).href}?v=${version}` : spec.target;
    const namespace = await this.importer(specifier);
    return namespace.default;
  }
}
