import type { LoadedConfig } from '@sogoms/config';
import type { LogReporter } from '@sogoms/ipc';
import { ConfigReloader } from './config-reloader.js';
import { DatabaseInitializer } from './database-initializer.js';
import { DbCounters } from './db-counters.js';
import { dbSettingsFrom } from './db-settings.js';
import { DbService } from './db.service.js';
import type { PoolChanges } from './pool-registry.js';
import { PoolRegistry } from './pool-registry.js';

/**
 * The db module of one process, wherever it runs (the db service, or the gateway with
 * `transport.kind: inprocess`): the pools opened for the configured apps, the service that runs
 * statements on them, its counters, and the reload that re-reads the configuration.
 */
export class DbRuntime {
  private constructor(
    readonly registry: PoolRegistry,
    readonly counters: DbCounters,
    readonly service: DbService,
    private readonly reloader: ConfigReloader,
  ) {}

  /** Opens one pool per app (creating demo databases on first start); MariaDB being down is no error. */
  static async start(configRoot: string, config: LoadedConfig, logs: LogReporter): Promise<DbRuntime> {
    const counters = new DbCounters();
    const registry = new PoolRegistry(dbSettingsFrom(config.global), new DatabaseInitializer(), logs);
    await registry.apply(dbSettingsFrom(config.global), config.apps);
    return new DbRuntime(
      registry,
      counters,
      new DbService(registry, counters, logs),
      new ConfigReloader(configRoot, registry, logs),
    );
  }

  /** Re-reads the configuration and re-applies it to the pools; null when it does not load. */
  reload(): Promise<PoolChanges | null> {
    return this.reloader.reload();
  }

  /** Closes every pool once the statements in flight are done. */
  close(): Promise<void> {
    return this.registry.close();
  }
}
