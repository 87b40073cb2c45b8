import { dirname } from 'node:path';
import { ConfigError, type AppConfig, type ConfigProblem } from '@sogoms/config';
import { checkModuleSyntax } from './app-modules.check.js';
import { loadSchemaFile } from './model/schema-file.loader.js';
import { loadScenarios } from './scenario-loader.js';

/**
 * Loads every definition file of the apps (schema.yaml, scenarios; module files are parsed) the way the gateway will, so
 * the supervisor can refuse a reload that the gateway would refuse. Throws one ConfigError with
 * the problems of every app.
 */
export const checkAppFiles = (configRoot: string, apps: readonly AppConfig[]): void => {
  const problems: ConfigProblem[] = [];
  const collect = (load: () => unknown): void => {
    try {
      load();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  };
  for (const app of apps) {
    collect(() => loadSchemaFile(app.dir, dirname(configRoot)));
    collect(() => loadScenarios(app.dir, dirname(configRoot)));
  }
  problems.push(...checkModuleSyntax(dirname(configRoot), apps));
  if (problems.length > 0) throw new ConfigError(problems);
};
