import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding the project's package.json, found upwards from this file: service entries
 * and the services' working directory are relative to it, wherever the supervisor is started from.
 * Works from libs/common/src, dist/libs/common/src and a bundle in dist/bundle. The supervisor and the admin use it.
 */
export const findProjectRoot = (from: string = dirname(fileURLToPath(import.meta.url))): string => {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
};
