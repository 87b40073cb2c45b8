import { dirname } from 'node:path';
import type { AppConfig, LoadedConfig } from '@sogoms/config';

/**
 * The configuration the admin runs with. A reload (SIGHUP, or the admin's own write of a new
 * app) swaps it whole; the listen address and session settings stay those of the start.
 */
export class AdminSettings {
  private current: LoadedConfig;

  constructor(
    initial: LoadedConfig,
    /** The config root (the folder holding sogoms.yaml and apps/). */
    readonly configRoot: string,
  ) {
    this.current = initial;
  }

  get config(): LoadedConfig {
    return this.current;
  }

  get global(): LoadedConfig['global'] {
    return this.current.global;
  }

  /** Files are named in messages from the config root's parent (`config/apps/shop/app.yaml`). */
  get displayRoot(): string {
    return dirname(this.configRoot);
  }

  apps(): AppConfig[] {
    return this.current.apps;
  }

  app(name: string): AppConfig | undefined {
    return this.current.apps.find((app) => app.name === name);
  }

  replace(config: LoadedConfig): void {
    this.current = config;
  }
}
