import { CommanderError } from 'commander';
import { CliFailure, EXIT } from './cli-context.js';
import { processIo, type CliIo } from './cli-io.js';
import type { CliRun } from './command-action.js';
import { buildProgram } from './program.js';

/** Errors of the libs that are the user's to fix (a config file, a bad value): one line, exit 2. */
const isUserFacingError = async (error: unknown): Promise<boolean> => {
  if (!(error instanceof Error)) return false;
  // Loaded only on this path: the modules are already loaded when a command threw one of these.
  const [{ ConfigError }, { SogomsError }] = await Promise.all([
    import('@sogoms/config'),
    import('@sogoms/common'),
  ]);
  return error instanceof ConfigError || error instanceof SogomsError;
};

/**
 * The `sogoms` CLI, called by bin/sogoms.js: parses argv with the commander program, runs the
 * command and returns the exit code (0 ok, 1 failed, 2 usage error or could not run).
 */
export const runCli = async (argv: readonly string[], io: CliIo = processIo): Promise<number> => {
  const run: CliRun = { io, exitCode: EXIT.ok };
  try {
    await buildProgram(run).parseAsync([...argv], { from: 'user' });
    return run.exitCode;
  } catch (error) {
    // Help and --version end in a CommanderError with exit code 0; everything else is usage.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof CliFailure) {
      io.err(`sogoms: ${error.message}`);
      return error.exitCode;
    }
    if (await isUserFacingError(error)) {
      io.err(`sogoms: ${(error as Error).message}`);
      return EXIT.error;
    }
    throw error;
  }
};
