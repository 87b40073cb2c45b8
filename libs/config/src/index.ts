export type * from './config.types.js';
export { ConfigError, formatProblem, type ConfigProblem } from './config-error.js';
export {
  loadConfig,
  loadGlobalConfig,
  loadAppConfigs,
  type LoadConfigOptions,
  type LoadedConfig,
} from './config.loader.js';
export { AppRegistry } from './app-registry.js';
export { PARSED_CONFIG_ENV, ParsedConfigFiles, parsedConfigPath } from './parsed-config-files.js';
export { configRootFromArgs } from './config-root.js';
export { normalizeHost, hostFromHeader } from './host-name.js';
export { readConfigFile, displayPath, type ConfigScope, type ConfigFileRead } from './config-file.reader.js';
export * from './schema/config-schema.js';
export * from './schema/scalar-schemas.js';
export {
  loadSupervisorConfig,
  readSupervisorConfig,
  type LoadSupervisorConfigOptions,
} from './supervisor-config.loader.js';
export { DEFAULT_NODE_ARGS, SUPERVISOR_NODE_ARGS, defaultNodeArgs } from './default-node-args.js';
export { ReloadAcknowledger, readReloadAck, reloadAckPath, type ReloadAck } from './reload-ack.js';
export {
  FALLBACK_ENV,
  fallbackEnvValue,
  fallbacksDecided,
  onFallbackWhereDecided,
} from './database-fallback.js';
