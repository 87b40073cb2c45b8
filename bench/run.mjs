// `npm run bench [-- --quick] [--with-directus] [--only ipc,api,scale] [--no-write]`
// Builds the services if their sources changed, compiles the harness (bench/src, TypeScript)
// into dist/bench, then runs it. Never part of `npm test`. See docs/bench.md.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = (args) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });

node(['scripts/build.mjs', '--if-needed']);
node(['node_modules/@swc/cli/bin/swc.js', 'bench/src', '-d', 'dist', '--ignore', '**/*.spec.ts', '--quiet']);
const { runBench } = await import(pathToFileURL(join(root, 'dist/bench/src/main.js')).href);
try {
  process.exitCode = await runBench(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
