import { Command } from 'commander';
import type { CliRun } from './command-action.js';
import { COMMAND_GROUPS } from './command-registry.js';
import { packageVersion } from './package-version.js';

export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0  ok',
  '  1  the command ran and failed or found something (differences, findings, a service not healthy)',
  '  2  usage error, or an error that kept the command from running (bad config, no supervisor)',
].join('\n');

/** Commander's behaviour on every command: errors thrown (not process.exit), typos get a suggestion. */
const configure = (command: Command, run: CliRun, helpWidth: number | undefined): void => {
  command
    .exitOverride()
    .showSuggestionAfterError()
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false, helpWidth })
    .configureOutput({
      writeOut: (text) => run.io.out(text.replace(/\n$/, '')),
      writeErr: (text) => run.io.err(text.replace(/\n$/, '')),
    });
  for (const sub of command.commands) configure(sub, run, helpWidth);
};

/**
 * The whole `sogoms` command line: the program with every group of COMMAND_GROUPS. Actions store
 * their exit code in `run`; the docs (docs/cli.md) are rendered from the same program, with a fixed
 * `helpWidth` (otherwise the terminal's width, 80 when not a terminal).
 */
export const buildProgram = (run: CliRun, helpWidth?: number): Command => {
  const program = new Command('sogoms')
    .description('Control the sogoms supervisor and manage apps, their schemas and their users.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--config <root>', 'the config root (sogoms.yaml, sogoctl.yaml, apps/)', './config')
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n\nExample:\n  $ sogoms status --config ./config\n`);
  for (const group of COMMAND_GROUPS) group(program, run);
  configure(program, run, helpWidth);
  return program;
};
