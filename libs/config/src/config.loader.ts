import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { readAppConfigs } from './app-configs.loader.js';
import { ConfigError } from './config-error.js';
import type { ConfigScope } from './config-file.reader.js';
import type { AppConfig, GlobalConfig } from './config.types.js';
import { readGlobalConfig } from './global-config.loader.js';
import { ParsedConfigFiles } from './parsed-config-files.js';

export interface LoadConfigOptions {
  /** Environment for `*_env` keys. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Parses to reuse, and where this reading keeps its own (the supervisor passes an empty one and
   * saves it for its services). Default: the cache named by the environment's SOGOMS_PARSED_CONFIG.
   */
  parsedFiles?: ParsedConfigFiles;
}

export interface LoadedConfig {
  global: GlobalConfig;
  apps: AppConfig[];
}

/** Runs `read` over one scope and throws a single ConfigError listing every problem found. */
const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

// `read` may return undefined only after reporting a problem, and then this throws.
const inScope = <T>(configRoot: string, options: LoadConfigOptions, read: (scope: ConfigScope) => T): T => {
  const root = resolve(configRoot);
  const env = options.env ?? process.env;
  const scope: ConfigScope = {
    root,
    env,
    problems: [],
    parsed: options.parsedFiles ?? ParsedConfigFiles.fromEnv(env),
  };
  if (!isDirectory(root)) {
    throw new ConfigError([
      { file: configRoot, key: '(config root)', expected: 'an existing folder', got: 'nothing' },
    ]);
  }
  const value = read(scope);
  if (scope.problems.length > 0) throw new ConfigError(scope.problems);
  return value;
};

/** `{configRoot}/sogoms.yaml`, validated; a missing file means all defaults. Throws ConfigError. */
export const loadGlobalConfig = (configRoot: string, options: LoadConfigOptions = {}): GlobalConfig =>
  inScope(configRoot, options, (scope) => readGlobalConfig(scope) as GlobalConfig);

/** Every `{configRoot}/apps/{app}/app.yaml`, validated, sorted by name. Throws ConfigError. */
export const loadAppConfigs = (configRoot: string, options: LoadConfigOptions = {}): AppConfig[] =>
  inScope(configRoot, options, readAppConfigs);

/** Both, with the problems of all files in one ConfigError. */
export const loadConfig = (configRoot: string, options: LoadConfigOptions = {}): LoadedConfig =>
  inScope(configRoot, options, (scope) => ({
    global: readGlobalConfig(scope) as GlobalConfig,
    apps: readAppConfigs(scope),
  }));
