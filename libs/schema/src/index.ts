export { compileNamedSql, bindNamedParams, type CompiledSql } from './named-sql.js';
export { quoteIdentifier, SAFE_IDENTIFIER } from './quote-identifier.js';
export { loadScenarios, SCENARIO_PARAMS } from './scenario-loader.js';
export type { CompiledScenario, ScenarioStep } from './scenario.types.js';
export { checkAppFiles } from './app-files.check.js';
export {
  loadSakila,
  sakilaDirectory,
  TEST_MARIADB,
  type LoadedSakila,
  type LoadSakilaOptions,
  type MariaDbServer,
} from './testing/sakila-loader.js';
export * from './schema.types.js';
