import { findApp } from '../app-config.lookup.js';
import { CliFailure, EXIT, type CliCommand } from '../cli-context.js';
import { withAppDatabase } from '../database-connection.js';
import { noRoleColumn, UserAccounts } from '../user-accounts.js';
import { normalizeEmail, parseRole } from '../user-role.js';
import { loginColumnsOf } from '../login-field.columns.js';

/** What `user set-role` takes (declared in user.command.ts). */
export interface UserSetRoleOptions {
  email: string;
  role: string;
}

/**
 * `sogoms user set-role <app> --email E --role admin|default`. The role is read into the token
 * at login: a user keeps the old role until they log in again (or the token expires).
 */
export const userSetRoleCommand: CliCommand<UserSetRoleOptions> = {
  async run(ctx) {
    const email = normalizeEmail(ctx.options.email);
    const role = parseRole(ctx.options.role);
    const { app } = findApp(ctx.configRoot, ctx.args[0]);
    if (app.auth.roleField === null) throw new CliFailure(noRoleColumn(app.name, app.auth.usersTable));
    const found = await withAppDatabase(
      app,
      (db) =>
        new UserAccounts(db, app.name, app.auth, loginColumnsOf(ctx.configRoot, app)).setRole(email, role),
      { write: true },
    );
    if (!found) throw new CliFailure(`no user with email ${email} in app '${app.name}'`);
    ctx.out(`${email} in app '${app.name}' now has role ${role} (from their next login)`);
    return EXIT.ok;
  },
};
