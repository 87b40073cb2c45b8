import type { Command } from 'commander';
import type { CliRun } from './command-action.js';
import { defineAdminCommands } from './commands/admin.command.js';
import { defineAppCommands } from './commands/app.command.js';
import { defineCryptCommands } from './commands/crypt.command.js';
import { defineCronCommands } from './commands/cron.command.js';
import { defineDbCommands } from './commands/db.command.js';
import { defineMailCommands } from './commands/mail.command.js';
import { definePushCommands } from './commands/push.command.js';
import { defineSchemaCommands } from './commands/schema.command.js';
import { defineSecretsCommands } from './commands/secrets.command.js';
import { defineSupervisorCommands } from './commands/supervisor.command.js';
import { defineUserCommands } from './commands/user.command.js';

/** Declares one group of commands on the program: its words, arguments, options and help. */
export type CommandGroup = (program: Command, run: CliRun) => void;

/**
 * Every group of the CLI, in the order of `sogoms --help`. One file per group under commands/;
 * a new service adds its commands with a file and a line here.
 */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  defineSupervisorCommands,
  defineSchemaCommands,
  defineAppCommands,
  defineUserCommands,
  defineDbCommands,
  defineSecretsCommands,
  defineCryptCommands,
  defineMailCommands,
  definePushCommands,
  defineCronCommands,
  defineAdminCommands,
];
