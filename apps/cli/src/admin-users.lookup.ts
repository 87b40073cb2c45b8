import { AdminUsersFile, adminUsersPath } from '@sogoms/admin-users';
import { CliFailure } from './cli-context.js';

/** The admin users file of the config root the command was given. */
export const adminUsersOf = (configRoot: string): AdminUsersFile =>
  new AdminUsersFile(adminUsersPath(configRoot));

/** The `<username>` argument (commander requires it; an empty string is refused here). */
export const usernameArg = (args: readonly string[]): string => {
  const [username] = args;
  if (username === undefined || username === '') throw new CliFailure('name the admin user');
  return username;
};

/** `a,b, c` → `['a', 'b', 'c']`. */
export const commaList = (text: string | undefined): string[] | undefined =>
  text
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
