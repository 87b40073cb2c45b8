// @sogoms/schema/testing: fixtures for specs, e2e tests and the bench only (ESLint keeps them out of production code).
export * from './schema.factory.js';
export { ownedSakilaSchema } from './owned-sakila.factory.js';
export {
  loadSakila,
  loadSakilaInto,
  sakilaDirectory,
  SAKILA_TABLES,
  TEST_MARIADB,
  type LoadedSakila,
  type LoadSakilaOptions,
  type MariaDbServer,
  type SakilaFilesOptions,
} from './sakila-loader.js';
