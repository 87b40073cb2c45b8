import { Logger } from '@nestjs/common';
import { AppRegistry, loadAppConfigs, type AppConfig } from '@sogoms/config';
import { buildUsersSql } from '../auth/users-sql.js';
import { loadScenarios, loadSchemaFile } from '@sogoms/schema';
import type { AppRuntime } from './app-runtime.js';
import { compileApp } from '../crud/compiled-app.js';
import { loadQueryOverrides } from '../crud/query-overrides.loader.js';
import { dirname } from 'node:path';

/** One immutable version of the apps the gateway serves. */
export interface AppsSnapshot {
  version: number;
  registry: AppRegistry;
  runtimes: ReadonlyMap<string, AppRuntime>;
}

export type ReloadResult = { ok: true; version: number; apps: string[] } | { ok: false; error: string };

const buildRuntime = (config: AppConfig, displayRoot: string): AppRuntime => {
  // Compiled here, once per config version: a schema that does not compile throws, and the
  // reload keeps the live snapshot.
  const schema = loadSchemaFile(config.dir, displayRoot);
  return {
    config,
    tokenKey: { app: config.name, secret: config.auth.jwtSecret, expiresInS: config.auth.jwtExpiresInS },
    usersSql: buildUsersSql(config.auth),
    scenarios: loadScenarios(config.dir, displayRoot),
    schema,
    crud: compileApp(schema, loadQueryOverrides(config.dir, displayRoot, schema)),
  };
};

/**
 * Holds the live snapshot. A reload builds the next one beside it and swaps one reference, so a
 * request keeps the snapshot it started with and a failed build leaves the live one in place.
 */
export class GatewayState {
  private readonly logger = new Logger('GatewayState');
  private snapshot: AppsSnapshot;

  constructor(private readonly configRoot: string) {
    this.snapshot = this.build(1);
  }

  get current(): AppsSnapshot {
    return this.snapshot;
  }

  reload(): ReloadResult {
    try {
      const next = this.build(this.snapshot.version + 1);
      this.snapshot = next;
      const apps = [...next.runtimes.keys()];
      this.logger.log(`Reloaded config version ${next.version}: ${apps.join(', ') || 'no apps'}`);
      return { ok: true, version: next.version, apps };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(`Reload failed, keeping version ${this.snapshot.version}:\n${message}`);
      return { ok: false, error: message };
    }
  }

  private build(version: number): AppsSnapshot {
    const apps = loadAppConfigs(this.configRoot);
    const displayRoot = dirname(this.configRoot);
    const runtimes = new Map(apps.map((app) => [app.name, buildRuntime(app, displayRoot)] as const));
    return { version, registry: new AppRegistry(apps), runtimes };
  }
}
