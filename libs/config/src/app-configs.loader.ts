import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { appConfigBody } from './app-config.schema.js';
import { displayPath, readConfigFile, type ConfigScope } from './config-file.reader.js';
import type { AppConfig } from './config.types.js';
import { fallbacksDecided, onFallbackWhereDecided } from './database-fallback.js';

/**
 * Reads every `{root}/apps/{app}/app.yaml` (folders without one are skipped), sorted by name,
 * and checks that no host belongs to two apps. Problems go to the scope.
 */
export const readAppConfigs = (scope: ConfigScope): AppConfig[] => {
  const appsDir = join(scope.root, 'apps');
  if (!existsSync(appsDir)) return [];
  const folders = readdirSync(appsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(appsDir, entry.name, 'app.yaml')))
    .map((entry) => entry.name)
    .sort();

  const apps: AppConfig[] = [];
  const hostOwners = new Map<string, { app: string; file: string }>();
  for (const folder of folders) {
    const dir = join(appsDir, folder);
    const file = join(dir, 'app.yaml');
    const { value, report } = readConfigFile(file, appConfigBody, scope);
    if (value === undefined) continue;
    let hostsFree = true;
    value.hosts.forEach((host, i) => {
      const owner = hostOwners.get(host);
      if (owner === undefined) return;
      hostsFree = false;
      report(
        ['hosts', i],
        `a host that no other app uses (app "${value.name}")`,
        `${JSON.stringify(host)}, a host of app "${owner.app}" (${owner.file}) too`,
      );
    });
    if (!hostsFree) continue;
    for (const host of value.hosts)
      hostOwners.set(host, { app: value.name, file: displayPath(scope.root, file) });
    apps.push(onFallbackWhereDecided({ ...value, dir }, fallbacksDecided(scope.env)));
  }
  return apps;
};
