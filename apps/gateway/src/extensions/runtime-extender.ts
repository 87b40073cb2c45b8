import type { LogReporter } from '@sogoms/ipc';
import type { CompiledScenario } from '@sogoms/schema';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { CustomRouteTable, type CustomRoute } from './custom-routes.js';
import { HookRunner, type LoadedModule } from './hook-runner.js';
import type { ModuleLoader } from './module-loader.js';

/** A runtime with its modules loaded, and how to end them when its snapshot is retired. */
export interface ExtendedRuntime {
  runtime: AppRuntime;
  close(): Promise<void>;
}

/** Adds to a runtime what needs asynchronous loading: the app's modules, their hooks and routes. */
export type RuntimeExtender = (runtime: AppRuntime, version: number) => Promise<ExtendedRuntime>;

/** No modules, no custom routes beyond scenarios: what tests of the routing layer use. */
export const scenarioRoutes = (scenarios: ReadonlyMap<string, CompiledScenario>): CustomRoute[] =>
  [...scenarios.values()].flatMap((scenario) =>
    scenario.endpoint === null
      ? []
      : [
          {
            kind: 'scenario' as const,
            method: scenario.endpoint.method,
            path: scenario.endpoint.path,
            segments: scenario.endpoint.segments,
            public: scenario.endpoint.public,
            status: scenario.endpoint.status,
            scenario,
          },
        ],
  );

/**
 * Hooks the gateway itself adds to an app from its configuration (push events), run after the
 * app's own modules so they see the answer those made. May throw: the snapshot then fails.
 */
export type BuiltInHooks = (runtime: AppRuntime) => LoadedModule[];

/**
 * Loads the app's modules for a snapshot version, builds its HookRunner and the table of its
 * custom routes (scenario endpoints and module routes). A module route that collides with a
 * scenario endpoint fails the build, so the reload keeps the live snapshot.
 */
export const runtimeExtender =
  (loader: ModuleLoader, logs: LogReporter, builtIns: BuiltInHooks = () => []): RuntimeExtender =>
  async (runtime, version) => {
    const app = runtime.config.name;
    const loaded = await loader.load(runtime.config, version);
    try {
      const routes = new CustomRouteTable([...scenarioRoutes(runtime.scenarios), ...loaded.routes]);
      const modules = [...loaded.modules, ...builtIns(runtime)];
      const hooks =
        modules.length === 0
          ? HookRunner.NONE
          : new HookRunner(modules, (module, error) =>
              logs.error(app, 'module_failed', `Module ${module} failed`, {
                module,
                error: error instanceof Error ? (error.stack ?? error.message) : String(error),
              }),
            );
      return { runtime: { ...runtime, hooks, routes }, close: () => loaded.close() };
    } catch (error) {
      await loaded.close();
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`app ${app}: ${reason}`, { cause: error });
    }
  };
