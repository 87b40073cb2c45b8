// Compiles apps/ and libs/ with swc into dist/ (ESM, decorator metadata, @sogoms/* rewritten),
// then bundles each app's entry into dist/bundle/{app}/main.js (what the supervisor and the CLI
// run; scripts/service-bundles.mjs). `--if-needed` skips the build when no source is newer than the last one.
import { execFileSync } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { buildStamp, sourcesChanged } from './build-stamp.mjs';
import { bundleServices } from './service-bundles.mjs';

const ifNeeded = process.argv.includes('--if-needed');

if (!ifNeeded || sourcesChanged('.')) {
  // Overwrite in place (others may be running dist/ right now); `--clean` starts from nothing.
  if (process.argv.includes('--clean')) rmSync('dist', { recursive: true, force: true });
  execFileSync(
    process.execPath,
    ['node_modules/@swc/cli/bin/swc.js', 'apps', 'libs', '-d', 'dist', '--ignore', '**/*.spec.ts', '--quiet'],
    { stdio: 'inherit' },
  );
  await bundleServices(process.cwd());
  writeFileSync(buildStamp('.'), new Date().toISOString());
}
