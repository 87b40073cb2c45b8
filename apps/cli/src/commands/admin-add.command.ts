import { loadConfig } from '@sogoms/config';
import type { AdminRole } from '@sogoms/admin-users';
import { CliFailure, EXIT, type CliCommand } from '../cli-context.js';
import { adminUsersOf, commaList, usernameArg } from '../admin-users.lookup.js';

/** What `admin add` takes (declared in admin.command.ts; commander enforces the required ones). */
export interface AdminAddOptions {
  password: string;
  role: string;
  apps?: string;
  permissions?: string;
}

/** An app_admin's apps must exist: a typo would give a user nothing to manage, silently. */
const refuseUnknownApps = (configRoot: string, apps: readonly string[]): void => {
  if (apps.length === 0) return;
  const known = loadConfig(configRoot).apps.map((app) => app.name);
  const unknown = apps.filter((app) => !known.includes(app));
  if (unknown.length > 0)
    throw new CliFailure(
      `--apps: unknown app${unknown.length > 1 ? 's' : ''} ${unknown.map((app) => `'${app}'`).join(', ')} ` +
        `(apps in ${configRoot}: ${known.join(', ') || 'none'})`,
    );
};

/** `sogoms admin add <username> --password P --role super_admin|app_admin [--apps a,b] [--permissions p,q]`. */
export const adminAddCommand: CliCommand<AdminAddOptions> = {
  async run(ctx) {
    const username = usernameArg(ctx.args);
    const apps = commaList(ctx.options.apps);
    refuseUnknownApps(ctx.configRoot, apps ?? []);
    const file = adminUsersOf(ctx.configRoot);
    const user = await file.add({
      username,
      password: ctx.options.password,
      // The lib refuses any other value with the list of roles.
      role: ctx.options.role as AdminRole,
      apps,
      permissions: commaList(ctx.options.permissions),
    });
    const access =
      user.role === 'super_admin'
        ? 'every app'
        : `apps ${user.apps.join(', ')}; permissions ${user.permissions.join(', ')}`;
    ctx.out(`added admin user ${user.username} (${user.role}: ${access}) to ${file.path}`);
    return EXIT.ok;
  },
};
