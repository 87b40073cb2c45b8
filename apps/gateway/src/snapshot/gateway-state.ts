import { Logger } from '@nestjs/common';
import { dirname } from 'node:path';
import { AppRegistry, loadAppConfigs } from '@sogoms/config';
import type { ExtendedRuntime, RuntimeExtender } from '../extensions/runtime-extender.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { buildRuntime, nextTurn, scenariosOnly } from './app-runtime.builder.js';

/** One immutable version of the apps the gateway serves. */
export interface AppsSnapshot {
  version: number;
  registry: AppRegistry;
  runtimes: ReadonlyMap<string, AppRuntime>;
}

export type ReloadResult = { ok: true; version: number; apps: string[] } | { ok: false; error: string };

export interface GatewayStateOptions {
  /**
   * The run_dir whose `cache/` keeps each app's parsed schema blocks between starts: a start with
   * an unchanged 1,000-table schema.yaml skips its YAML parsing. None: parse at every start.
   */
  runDir?: string;
}

/** Old module contexts are closed this long after their snapshot was replaced (requests in flight finish). */
const RETIRE_AFTER_MS = 30_000;

/**
 * Holds the live snapshot. A reload builds the next one beside it and swaps one reference, so a
 * request keeps the snapshot it started with and a failed build leaves the live one in place.
 * Building is asynchronous (modules are ES modules, imported); reloads run one at a time.
 */
export class GatewayState {
  private readonly logger = new Logger('GatewayState');
  private snapshot!: AppsSnapshot;
  private closeSnapshot: () => Promise<void> = () => Promise.resolve();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly configRoot: string,
    private readonly extend: RuntimeExtender,
    private readonly options: GatewayStateOptions,
  ) {}

  /** Builds the first snapshot; throws (ConfigError, a module's failure) when it cannot. */
  static async create(
    configRoot: string,
    extend: RuntimeExtender = scenariosOnly,
    options: GatewayStateOptions = {},
  ): Promise<GatewayState> {
    const state = new GatewayState(configRoot, extend, options);
    const first = await state.build(1);
    state.snapshot = first.snapshot;
    state.closeSnapshot = first.close;
    return state;
  }

  get current(): AppsSnapshot {
    return this.snapshot;
  }

  reload(): Promise<ReloadResult> {
    const next = this.queue.then(() => this.reloadNow());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async reloadNow(): Promise<ReloadResult> {
    try {
      const next = await this.build(this.snapshot.version + 1);
      const retire = this.closeSnapshot;
      this.snapshot = next.snapshot;
      this.closeSnapshot = next.close;
      setTimeout(() => void retire(), RETIRE_AFTER_MS).unref();
      const apps = [...next.snapshot.runtimes.keys()];
      this.logger.log(`Reloaded config version ${next.snapshot.version}: ${apps.join(', ') || 'no apps'}`);
      return { ok: true, version: next.snapshot.version, apps };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(`Reload failed, keeping version ${this.snapshot.version}:\n${message}`);
      return { ok: false, error: message };
    }
  }

  private async build(version: number): Promise<{ snapshot: AppsSnapshot; close: () => Promise<void> }> {
    const apps = loadAppConfigs(this.configRoot);
    const displayRoot = dirname(this.configRoot);
    const built: AppRuntime[] = [];
    for (const app of apps) {
      built.push(await buildRuntime(app, displayRoot, this.options.runDir));
      await nextTurn();
    }
    const extended: ExtendedRuntime[] = [];
    const close = async (): Promise<void> => {
      await Promise.allSettled(extended.map((e) => e.close()));
    };
    try {
      for (const runtime of built) extended.push(await this.extend(runtime, version));
    } catch (error) {
      await close();
      throw error;
    }
    const runtimes = new Map(extended.map(({ runtime }) => [runtime.config.name, runtime] as const));
    return { snapshot: { version, registry: new AppRegistry(apps), runtimes }, close };
  }
}
