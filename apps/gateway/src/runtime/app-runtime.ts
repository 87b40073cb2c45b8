import type { TokenKey } from '@sogoms/auth';
import type { AppConfig } from '@sogoms/config';
import type { CompiledScenario, SchemaDef } from '@sogoms/schema';

/**
 * Everything the gateway needs to serve one app, built once per config version (snapshot/).
 * Each feature adds its compiled part by declaration merging (`declare module` in crud/,
 * auth/, extensions/), so this type depends on no feature and no feature on the snapshot.
 */
export interface AppRuntime {
  config: AppConfig;
  tokenKey: TokenKey;
  scenarios: ReadonlyMap<string, CompiledScenario>;
  /** The app's schema.yaml, or null when it has none (then no table is served). */
  schema: SchemaDef | null;
}
