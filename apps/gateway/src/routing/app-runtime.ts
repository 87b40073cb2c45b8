import type { TokenKey } from '@sogoms/auth';
import type { AppConfig } from '@sogoms/config';
import type { UsersSql } from '../auth/users-sql.js';
import type { CompiledScenario, SchemaDef } from '@sogoms/schema';
import type { CompiledApp } from '../crud/compiled-app.js';
import type { HookRunner } from '../extensions/hook-runner.js';
import type { CustomRouteTable } from '../extensions/custom-routes.js';

/** Everything the gateway needs to serve one app, built once per config version. */
export interface AppRuntime {
  config: AppConfig;
  tokenKey: TokenKey;
  usersSql: UsersSql;
  scenarios: ReadonlyMap<string, CompiledScenario>;
  /** The app's schema.yaml, or null when it has none (then no table is served). */
  schema: SchemaDef | null;
  /** The REST runtime compiled from `schema`: per-table codecs, SQL pieces, relation plans. */
  crud: CompiledApp;
  /** The hooks of the app's modules (`modules:` in app.yaml); absent: none. */
  hooks?: HookRunner;
  /** Scenario endpoints and module routes, matched by the host rewrite; absent: none. */
  routes?: CustomRouteTable;
}
