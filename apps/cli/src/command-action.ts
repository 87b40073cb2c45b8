import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliCommand, CliContext } from './cli-context.js';
import type { CliIo } from './cli-io.js';

/** The outcome of one parse: the exit code the action returned (commander's actions return nothing). */
export interface CliRun {
  io: CliIo;
  exitCode: number;
}

/** Loads a command's module on use: `sogoms status` must not load the schema compiler or mysql2. */
export type CommandLoader<O extends object> = () => Promise<CliCommand<O>>;

/** The root command's options (`--config`), wherever they were given. */
const configRootOf = (command: Command): string => {
  const { config } = command.optsWithGlobals<{ config?: string }>();
  return resolve(config ?? './config');
};

/**
 * A commander action that builds the CliContext from what commander parsed and runs the command.
 * `O` is the command's view of the options its group file declares (commander does not type them).
 */
export const commandAction =
  <O extends object>(run: CliRun, load: CommandLoader<O>) =>
  async (...actionArgs: unknown[]): Promise<void> => {
    // Commander passes the declared arguments, then the options, then the command itself.
    const command = actionArgs.at(-1) as Command;
    const args = command.processedArgs.flat().filter((arg): arg is string => typeof arg === 'string');
    const ctx: CliContext<O> = {
      args,
      options: command.opts<O & Record<string, unknown>>(),
      configRoot: configRootOf(command),
      out: run.io.out,
      err: run.io.err,
    };
    run.exitCode = await (await load()).run(ctx);
  };
