import { join } from 'node:path';
import { readConfigFile, type ConfigScope } from './config-file.reader.js';
import type { GlobalConfig } from './config.types.js';
import { globalConfigBody } from './global-config.schema.js';

/** Reads `{scope.root}/sogoms.yaml` (absent: all defaults); problems go to the scope. */
export const readGlobalConfig = (scope: ConfigScope): GlobalConfig | undefined => {
  const { value } = readConfigFile(join(scope.root, 'sogoms.yaml'), globalConfigBody, scope, {
    optional: true,
  });
  return value === undefined ? undefined : { root: scope.root, ...value };
};
