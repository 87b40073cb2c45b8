import type { Command } from 'commander';
import { commandAction, type CliRun } from '../command-action.js';
import { withExamples } from '../command-help.js';
import type { UserCreateOptions } from './user-create.command.js';
import type { UserSetRoleOptions } from './user-set-role.command.js';

/** `sogoms user …`: accounts in an app's users table, with the rules of register. */
export const defineUserCommands = (program: Command, run: CliRun): void => {
  const user = withExamples(
    program.command('user').description("accounts in an app's users table"),
    'sogoms user create --help',
  );
  withExamples(
    user
      .command('create')
      .description('add a user to an app (e.g. its first admin)')
      .argument('<app>', 'an app of config/apps')
      .requiredOption('--email <email>', 'the login (required)')
      .requiredOption('--password <password>', "checked against the app's password policy (required)")
      .option('--role <role>', 'admin or default', 'default')
      .option('--name <name>', 'for a users table with a name column')
      .action(
        commandAction<UserCreateOptions>(
          run,
          async () => (await import('./user-create.command.js')).userCreateCommand,
        ),
      ),
    "sogoms user create shop --email admin@shop.test --password 'a long passphrase' --role admin",
  );
  withExamples(
    user
      .command('set-role')
      .description("change a user's role (applies at their next login)")
      .argument('<app>', 'an app of config/apps')
      .requiredOption('--email <email>', 'the user (required)')
      .requiredOption('--role <role>', 'admin or default (required)')
      .action(
        commandAction<UserSetRoleOptions>(
          run,
          async () => (await import('./user-set-role.command.js')).userSetRoleCommand,
        ),
      ),
    'sogoms user set-role shop --email someone@shop.test --role admin',
  );
};
