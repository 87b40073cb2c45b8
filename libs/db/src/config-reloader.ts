import { loadConfig, type LoadedConfig } from '@sogoms/config';
import type { LogReporter } from '@sogoms/ipc';
import { dbSettingsFrom } from './db-settings.js';
import type { PoolChanges, PoolRegistry } from './pool-registry.js';

/**
 * Re-reads the configuration (SIGHUP) and re-applies it to the pools. A configuration that does
 * not load leaves the running pools untouched. Reloads never overlap: one asked for while
 * another runs starts when it ends. Transport and run dir changes need a restart.
 */
export class ConfigReloader {
  private running: Promise<PoolChanges | null> = Promise.resolve(null);

  constructor(
    private readonly configRoot: string,
    private readonly registry: PoolRegistry,
    private readonly logs: LogReporter,
    private readonly load: (root: string) => LoadedConfig = loadConfig,
  ) {}

  reload(): Promise<PoolChanges | null> {
    this.running = this.running.then(() => this.reloadNow());
    return this.running;
  }

  private async reloadNow(): Promise<PoolChanges | null> {
    let config: LoadedConfig;
    try {
      config = this.load(this.configRoot);
    } catch (error) {
      this.logs.error('sogoms', 'config_reload_failed', 'db: configuration not reloaded', {
        reason: error instanceof Error ? error.message : String(error),
      });
      return null;
    }
    const changes = await this.registry.apply(dbSettingsFrom(config.global), config.apps);
    this.logs.event('sogoms', 'config_reloaded', 'db: configuration reloaded', { ...changes });
    return changes;
  }
}
