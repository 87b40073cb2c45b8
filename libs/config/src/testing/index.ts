// @sogoms/config/testing: fixtures for specs and e2e tests only (ESLint keeps them out of production code).
export {
  createConfigFixture,
  minimalApp,
  mergeYamlData,
  type ConfigFixture,
  type YamlData,
} from './config.fixture.js';
export { problemsOf } from './config-problems.js';
export { AUTH_DEFAULTS } from './auth-defaults.js';
