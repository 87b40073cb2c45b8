// Compiles apps/ and libs/ with swc into dist/ (ESM, decorator metadata, @sogoms/* rewritten).
// `--if-needed` skips the build when no source is newer than the last one.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const stamp = 'dist/.build-stamp';
const newestSource = (dir) => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
};

const ifNeeded = process.argv.includes('--if-needed');
const sourcesChanged = () =>
  !existsSync(stamp) ||
  Math.max(newestSource('apps'), newestSource('libs'), statSync('.swcrc').mtimeMs) > statSync(stamp).mtimeMs;

if (!ifNeeded || sourcesChanged()) {
  // Overwrite in place (others may be running dist/ right now); `--clean` starts from nothing.
  if (process.argv.includes('--clean')) rmSync('dist', { recursive: true, force: true });
  execFileSync(
    process.execPath,
    ['node_modules/@swc/cli/bin/swc.js', 'apps', 'libs', '-d', 'dist', '--ignore', '**/*.spec.ts', '--quiet'],
    { stdio: 'inherit' },
  );
  writeFileSync(stamp, new Date().toISOString());
}
