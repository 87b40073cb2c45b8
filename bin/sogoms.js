#!/usr/bin/env node
// sogoms: the command-line tool. The commands are TypeScript (apps/cli, on commander); this shim
// builds dist/ when a source is newer than the last build, then runs the built CLI.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sourcesChanged } from '../scripts/build-stamp.mjs';

const projectRoot = resolve(import.meta.dirname, '..');
// A reader that stops early (`sogoms --help | head`) is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
if (sourcesChanged(projectRoot)) {
  // The build's output goes to stderr: stdout stays the command's (e.g. `status --json`).
  execFileSync(process.execPath, [join(projectRoot, 'scripts/build.mjs')], {
    cwd: projectRoot,
    stdio: ['ignore', process.stderr, 'inherit'],
  });
}
const { runCli } = await import(pathToFileURL(join(projectRoot, 'dist/bundle/cli/main.js')).href);
process.exitCode = await runCli(process.argv.slice(2));
