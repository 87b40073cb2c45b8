import { ConfigError } from '@sogoms/config';
import { SogomsError } from '@sogoms/common';
import { parseArgv } from './argv-parser.js';
import { CliFailure, EXIT, type CliContext } from './cli-context.js';
import { COMMANDS } from './command-registry.js';

export const cliHelp = (): string =>
  Object.values(COMMANDS)
    .map((command) => `  sogoms ${command.usage}`.padEnd(58) + command.summary)
    .join('\n');

/**
 * The compiled half of the `sogoms` CLI (schema, app and user commands), called by bin/sogoms.js.
 * Finds the longest command whose words start argv, runs it, and maps failures to one line.
 */
export const runCli = async (argv: readonly string[]): Promise<number> => {
  const { words, flags, configRoot } = parseArgv(argv);
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const err = (line: string): void => void process.stderr.write(`${line}\n`);
  let name: string | undefined;
  for (let n = Math.min(words.length, 3); n > 0 && name === undefined; n -= 1) {
    const candidate = words.slice(0, n).join(' ');
    if (Object.hasOwn(COMMANDS, candidate)) name = candidate;
  }
  if (name === undefined) {
    err(`sogoms: unknown command: ${words.join(' ')}\n${cliHelp()}`);
    return EXIT.error;
  }
  const ctx: CliContext = { args: words.slice(name.split(' ').length), flags, configRoot, out, err };
  try {
    return await COMMANDS[name].run(ctx);
  } catch (error) {
    if (error instanceof CliFailure) {
      err(`sogoms: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof ConfigError || error instanceof SogomsError) {
      err(`sogoms: ${error.message}`);
      return EXIT.error;
    }
    throw error;
  }
};
