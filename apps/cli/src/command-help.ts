import type { Command } from 'commander';

/** Adds worked examples under a command's help (`sogoms <group> <cmd> --help`). */
export const withExamples = (command: Command, ...examples: string[]): Command =>
  command.addHelpText('after', `\nExamples:\n${examples.map((line) => `  $ ${line}`).join('\n')}\n`);
