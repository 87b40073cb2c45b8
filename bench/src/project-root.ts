import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder of the project's package.json: the harness runs compiled from dist/bench/src. */
const findProjectRoot = (start: string): string => {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'sogoms'
    )
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no sogoms package.json above ${start}`);
    dir = parent;
  }
};

export const PROJECT_ROOT = findProjectRoot(import.meta.dirname);

/** The compiled entry of a service or a harness file, e.g. `dist(apps/ctl/src/main.js)`. */
export const distPath = (relative: string): string => join(PROJECT_ROOT, 'dist', relative);
