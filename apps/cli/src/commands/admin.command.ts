import type { Command } from 'commander';
import { commandAction, type CliRun } from '../command-action.js';
import { withExamples } from '../command-help.js';
import type { AdminAddOptions } from './admin-add.command.js';
import type { AdminPasswdOptions } from './admin-passwd.command.js';
import type { AdminTotpOptions } from './admin-totp.command.js';

/** `sogoms admin …`: the admin web UI's users in config/admin_users.yaml. */
export const defineAdminCommands = (program: Command, run: CliRun): void => {
  const admin = withExamples(
    program
      .command('admin')
      .description('users of the admin web UI (config/admin_users.yaml, mode 600; applies at once)'),
    'sogoms admin add --help',
  );
  withExamples(
    admin
      .command('add')
      .description('add an admin user (bcrypt cost 12)')
      .argument('<username>', '2 to 64 of a-z 0-9 _ . -')
      .requiredOption('--password <password>', 'at least 10 characters (required)')
      .requiredOption('--role <role>', 'super_admin (everything) or app_admin (its apps only) (required)')
      .option('--apps <apps>', 'app_admin: comma-separated configured apps (required for app_admin)')
      .option(
        '--permissions <permissions>',
        'app_admin: comma-separated {area}:{level} (areas schema, queries, emails, cron, logs, db, users; ' +
          'levels read, write, *) or a bare read or write; default read,write',
      )
      .action(
        commandAction<AdminAddOptions>(
          run,
          async () => (await import('./admin-add.command.js')).adminAddCommand,
        ),
      ),
    "sogoms admin add alice --password 'a long passphrase' --role super_admin",
    "sogoms admin add bob --password 'another passphrase' --role app_admin --apps shop --permissions schema:read,logs:read,cron:*",
  );
  withExamples(
    admin
      .command('passwd')
      .description("set an admin user's password (records when, in password_changed_at)")
      .argument('<username>', 'an admin user')
      .requiredOption('--password <password>', 'at least 10 characters (required)')
      .action(
        commandAction<AdminPasswdOptions>(
          run,
          async () => (await import('./admin-passwd.command.js')).adminPasswdCommand,
        ),
      ),
    "sogoms admin passwd alice --password 'a new long passphrase'",
  );
  withExamples(
    admin
      .command('remove')
      .description('remove an admin user')
      .argument('<username>', 'an admin user')
      .action(
        commandAction<object>(
          run,
          async () => (await import('./admin-remove.command.js')).adminRemoveCommand,
        ),
      ),
    'sogoms admin remove bob',
  );
  withExamples(
    admin
      .command('list')
      .description('the admin users: role, apps, permissions, TOTP, disabled')
      .action(
        commandAction<object>(run, async () => (await import('./admin-list.command.js')).adminListCommand),
      ),
    'sogoms admin list',
  );
  withExamples(
    admin
      .command('totp')
      .description(
        'turn on the TOTP second factor: prints the otpauth URI and the secret (a new one each time)',
      )
      .argument('<username>', 'an admin user')
      .option('--disable', 'turn TOTP off instead')
      .action(
        commandAction<AdminTotpOptions>(
          run,
          async () => (await import('./admin-totp.command.js')).adminTotpCommand,
        ),
      ),
    'sogoms admin totp alice',
    'sogoms admin totp alice --disable',
  );
  for (const disabled of [true, false]) {
    const words = disabled ? 'disable' : 'enable';
    withExamples(
      admin
        .command(words)
        .description(
          disabled
            ? 'lock an admin user out (kept in the file: `admin enable` lets them in again)'
            : 'let a disabled admin user log in again',
        )
        .argument('<username>', 'an admin user')
        .action(
          commandAction<object>(run, async () =>
            (await import('./admin-disable.command.js')).adminDisableCommand(disabled),
          ),
        ),
      `sogoms admin ${words} bob`,
    );
  }
};
