import { SogomsError } from '@sogoms/common';
import type { AppConfig } from './config.types.js';
import { hostFromHeader } from './host-name.js';

/**
 * The apps of one configuration, found by name or by Host header. Immutable: a reload builds a
 * new registry and swaps the reference, so a request keeps the registry it started with.
 */
export class AppRegistry {
  private readonly byHost = new Map<string, AppConfig>();
  private readonly byName = new Map<string, AppConfig>();
  private readonly apps: readonly AppConfig[];

  constructor(apps: readonly AppConfig[]) {
    for (const app of apps) {
      if (this.byName.has(app.name))
        throw new SogomsError('VALIDATION_FAILED', `App "${app.name}" is defined twice`);
      this.byName.set(app.name, app);
      for (const host of app.hosts) {
        const owner = this.byHost.get(host);
        if (owner !== undefined) {
          throw new SogomsError(
            'VALIDATION_FAILED',
            `Host "${host}" belongs to apps "${owner.name}" and "${app.name}"`,
          );
        }
        this.byHost.set(host, app);
      }
    }
    this.apps = Object.freeze([...apps]);
  }

  /** The app serving an HTTP Host header; port, case and a trailing dot do not matter. */
  resolve(hostHeader: string | undefined): AppConfig | undefined {
    if (hostHeader === undefined) return undefined;
    const host = hostFromHeader(hostHeader);
    return host === undefined ? undefined : this.byHost.get(host);
  }

  get(name: string): AppConfig | undefined {
    return this.byName.get(name);
  }

  all(): readonly AppConfig[] {
    return this.apps;
  }
}
