import { dirname } from 'node:path';
import type { AppConfig } from '@sogoms/config';
import { loadScenarios } from './scenario-loader.js';

/**
 * Loads every definition file of the apps (today: scenarios) the way the gateway will, so the
 * supervisor can refuse a reload that the gateway would refuse. Throws ConfigError.
 */
export const checkAppFiles = (configRoot: string, apps: readonly AppConfig[]): void => {
  for (const app of apps) loadScenarios(app.dir, dirname(configRoot));
};
