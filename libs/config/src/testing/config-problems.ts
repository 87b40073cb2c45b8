import { ConfigError } from '../config-error.js';

/** The problems of the ConfigError that `load` throws; fails the test when it throws none. */
export const problemsOf = (load: () => unknown): ConfigError['problems'] => {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};
