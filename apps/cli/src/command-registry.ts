import type { CliCommand } from './cli-context.js';
import { userCreateCommand } from './commands/user-create.command.js';
import { userSetRoleCommand } from './commands/user-set-role.command.js';
import { appCreateCommand } from './commands/app-create.command.js';
import { schemaDiffCommand } from './commands/schema-diff.command.js';
import { schemaMigrateCommand } from './commands/schema-migrate.command.js';
import { schemaScanCommand } from './commands/schema-scan.command.js';
import { schemaValidateCommand } from './commands/schema-validate.command.js';

/**
 * Every command of the compiled CLI, by its words (`schema scan`). One file per command under
 * commands/; adding one is a file and a line here.
 */
export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  'user create': userCreateCommand,
  'user set-role': userSetRoleCommand,
  'app create': appCreateCommand,
  'schema diff': schemaDiffCommand,
  'schema migrate': schemaMigrateCommand,
  'schema scan': schemaScanCommand,
  'schema validate': schemaValidateCommand,
};
