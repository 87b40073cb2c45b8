import type { AdminUser } from '@sogoms/admin-users';
import { EXIT, type CliCommand } from '../cli-context.js';
import { textTable } from '../text-table.js';
import { adminUsersOf } from '../admin-users.lookup.js';

const rowOf = (user: AdminUser): string[] => [
  user.username,
  user.role,
  user.role === 'super_admin' ? '(all)' : user.apps.join(','),
  user.role === 'super_admin' ? '(all)' : user.permissions.join(','),
  user.totpEnabled ? 'on' : 'off',
  user.disabled ? 'yes' : 'no',
];

/** `sogoms admin list`: one line per admin user. */
export const adminListCommand: CliCommand = {
  run(ctx) {
    const file = adminUsersOf(ctx.configRoot);
    const users = file.list();
    ctx.out(
      users.length === 0
        ? `no admin users in ${file.path} (add one: sogoms admin add <username> --password P --role super_admin)`
        : textTable(['USERNAME', 'ROLE', 'APPS', 'PERMISSIONS', 'TOTP', 'DISABLED'], users.map(rowOf)),
    );
    return Promise.resolve(EXIT.ok);
  },
};
