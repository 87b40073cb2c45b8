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
export type CommandLoader = () => Promise<CliCommand>;

/** `--auth-table` → 'auth-table' → value, the names the commands and the docs use. */
const flagsOf = (command: Command): Record<string, string | true> => {
  const values = command.optsWithGlobals<Record<string, unknown>>();
  const flags: Record<string, string | true> = {};
  const chain: Command[] = [];
  for (let at: Command | null = command; at !== null; at = at.parent) chain.push(at);
  for (const option of chain.flatMap((at) => at.options)) {
    const value = values[option.attributeName()];
    const name = option.long?.slice(2);
    if (name === undefined) continue;
    if (value === true) flags[name] = true;
    else if (typeof value === 'string') flags[name] = value;
  }
  return flags;
};

/** The root command's options (`--config`), wherever they were given. */
const configRootOf = (command: Command): string => {
  const { config } = command.optsWithGlobals<{ config?: string }>();
  return resolve(config ?? './config');
};

/** A commander action that builds the CliContext from what commander parsed and runs the command. */
export const commandAction =
  (run: CliRun, load: CommandLoader) =>
  async (...actionArgs: unknown[]): Promise<void> => {
    // Commander passes the declared arguments, then the options, then the command itself.
    const command = actionArgs.at(-1) as Command;
    const args = command.processedArgs.flat().filter((arg): arg is string => typeof arg === 'string');
    const ctx: CliContext = {
      args,
      flags: flagsOf(command),
      configRoot: configRootOf(command),
      out: run.io.out,
      err: run.io.err,
    };
    run.exitCode = await (await load()).run(ctx);
  };
