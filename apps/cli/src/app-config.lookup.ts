import { loadConfig, type AppConfig, type GlobalConfig } from '@sogoms/config';
import { CliFailure } from './cli-context.js';

/** The whole configuration and the app a command names. */
export interface AppLookup {
  global: GlobalConfig;
  app: AppConfig;
}

/**
 * Loads the configuration (every file is validated: a ConfigError lists all problems) and picks
 * the app named on the command line; an unknown name is a CliFailure listing the known ones.
 */
export const findApp = (configRoot: string, name: string | undefined): AppLookup => {
  if (name === undefined || name === '')
    throw new CliFailure('name the app, e.g. `sogoms schema scan prokov`');
  const { global, apps } = loadConfig(configRoot);
  const app = apps.find((candidate) => candidate.name === name);
  if (!app) {
    const known = apps.map((candidate) => candidate.name).join(', ') || 'none';
    throw new CliFailure(`unknown app '${name}' (apps in ${configRoot}: ${known})`);
  }
  return { global, app };
};
