import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from './project-root.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `node bin/sogoms.js <args> --config <root>` as a user would (`npx sogoms ...`). */
export const runSogoms = (configRoot: string, args: readonly string[]): Promise<CliResult> =>
  new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [join(PROJECT_ROOT, 'bin/sogoms.js'), ...args, '--config', configRoot],
      {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) =>
      resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - started }),
    );
  });

/**
 * Whether the compiled CLI knows `words` (e.g. `app create`): the schema, app and user commands
 * land while the bench is written, so it asks instead of assuming. An unknown command says so.
 */
export const sogomsHasCommand = async (configRoot: string, words: readonly string[]): Promise<boolean> => {
  const result = await runSogoms(configRoot, [...words, '--help']);
  return !/unknown command/i.test(result.stderr + result.stdout);
};

/** The one-line reason a command failed, for the report. */
export const cliFailure = (what: string, result: CliResult): string =>
  `${what} exited ${result.code}: ${(result.stderr.trim() || result.stdout.trim()).split('\n').slice(0, 3).join(' / ')}`;
