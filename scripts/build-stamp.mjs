// Whether dist/ is older than a source: shared by scripts/build.mjs (--if-needed) and bin/sogoms.js,
// which checks in-process so that a CLI call with an up-to-date build spawns no extra node.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const newestSource = (dir) => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
};

/** The file whose mtime is the time of the last build. */
export const buildStamp = (projectRoot) => join(projectRoot, 'dist/.build-stamp');

/**
 * True when there is no build yet, or a .ts under apps/ or libs/ (or .swcrc) is newer than it.
 * A build from before the service bundles (no dist/bundle) counts as none.
 */
export const sourcesChanged = (projectRoot) => {
  const stamp = buildStamp(projectRoot);
  return (
    !existsSync(stamp) ||
    !existsSync(join(projectRoot, 'dist/bundle')) ||
    Math.max(
      newestSource(join(projectRoot, 'apps')),
      newestSource(join(projectRoot, 'libs')),
      statSync(join(projectRoot, '.swcrc')).mtimeMs,
    ) > statSync(stamp).mtimeMs
  );
};
