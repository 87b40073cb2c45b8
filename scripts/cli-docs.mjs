// Writes docs/cli.md from the commander program of apps/cli (builds dist/ first if needed).
// apps/cli/src/cli-docs.spec.ts fails when the committed file differs from what this writes.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const projectRoot = resolve(import.meta.dirname, '..');
execFileSync(process.execPath, [join(projectRoot, 'scripts/build.mjs'), '--if-needed'], {
  cwd: projectRoot,
  stdio: 'inherit',
});
const { renderCliDocs } = await import(
  pathToFileURL(join(projectRoot, 'dist/apps/cli/src/cli-docs.js')).href
);
writeFileSync(join(projectRoot, 'docs/cli.md'), renderCliDocs());
process.stdout.write('wrote docs/cli.md\n');
