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

/** A file of dist/: a service's bundle (`bundle/ctl/main.js`) or a compiled harness file. */
export const distPath = (relative: string): string => join(PROJECT_ROOT, 'dist', relative);
