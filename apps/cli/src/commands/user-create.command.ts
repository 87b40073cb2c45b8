import { DEFAULT_ROLE, PasswordHasher, passwordProblems } from '@sogoms/auth';
import isEmailModule from 'validator/lib/isEmail.js';
import { findApp } from '../app-config.lookup.js';
import { CliFailure, EXIT, type CliCommand } from '../cli-context.js';
import { withAppDatabase } from '../database-connection.js';
import { noRoleColumn, UserAccounts } from '../user-accounts.js';
import { normalizeEmail, parseRole } from '../user-role.js';
import { loginColumnsOf } from '../login-field.columns.js';

/** What `user create` takes (declared in user.command.ts; commander enforces the required ones). */
export interface UserCreateOptions {
  email: string;
  password: string;
  role?: string;
  name?: string;
}

/**
 * `sogoms user create <app> --email E --password P [--role admin|default] [--name N]`: adds a
 * user to the app's users table with the rules of register (password policy, bcrypt), e.g. the
 * first admin of an app made by `app create`.
 */
export const userCreateCommand: CliCommand<UserCreateOptions> = {
  async run(ctx) {
    const email = normalizeEmail(ctx.options.email);
    const { password, name } = ctx.options;
    const role = ctx.options.role === undefined ? DEFAULT_ROLE : parseRole(ctx.options.role);
    const { app } = findApp(ctx.configRoot, ctx.args[0]);

    if (!isEmailModule.default(email) || email.length > 255)
      throw new CliFailure(`--email ${JSON.stringify(email)} is not an email address`);
    const problems = passwordProblems(password, email, app.auth.password);
    if (problems.length > 0) throw new CliFailure(`weak password: ${problems.join('; ')}`);
    if (app.auth.roleField === null && role !== DEFAULT_ROLE)
      throw new CliFailure(noRoleColumn(app.name, app.auth.usersTable));

    const passwordHash = await new PasswordHasher().hash(password);
    const id = await withAppDatabase(
      app,
      async (db) => {
        const accounts = new UserAccounts(db, app.name, app.auth, loginColumnsOf(ctx.configRoot, app));
        if (name !== undefined && !(await accounts.hasColumn('name')))
          throw new CliFailure(
            `the users table '${app.auth.usersTable}' of app '${app.name}' has no name column: leave out --name`,
          );
        return accounts.create({ email, passwordHash, name, role });
      },
      { write: true },
    );
    ctx.out(`created user ${email} (id ${id}, role ${role}) in app '${app.name}'`);
    return EXIT.ok;
  },
};
