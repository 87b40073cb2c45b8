import type { CliCommand } from './cli-context.js';

/**
 * Every command of the compiled CLI, by its words (`schema scan`). One file per command under
 * commands/; adding one is a file and a line here.
 */
export const COMMANDS: Readonly<Record<string, CliCommand>> = {};
