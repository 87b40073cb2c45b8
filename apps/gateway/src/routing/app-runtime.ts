import type { TokenKey } from '@sogoms/auth';
import type { AppConfig } from '@sogoms/config';
import type { UsersSql } from '../auth/users-sql.js';
import type { CompiledScenario } from '@sogoms/schema';

/** Everything the gateway needs to serve one app, built once per config version. */
export interface AppRuntime {
  config: AppConfig;
  tokenKey: TokenKey;
  usersSql: UsersSql;
  scenarios: ReadonlyMap<string, CompiledScenario>;
}
