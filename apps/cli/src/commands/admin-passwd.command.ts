import { EXIT, type CliCommand } from '../cli-context.js';
import { adminUsersOf, usernameArg } from '../admin-users.lookup.js';

/** What `admin passwd` takes (declared in admin.command.ts). */
export interface AdminPasswdOptions {
  password: string;
}

/** `sogoms admin passwd <username> --password P`. */
export const adminPasswdCommand: CliCommand<AdminPasswdOptions> = {
  async run(ctx) {
    const username = usernameArg(ctx.args);
    await adminUsersOf(ctx.configRoot).setPassword(username, ctx.options.password);
    ctx.out(`set the password of admin user ${username}`);
    return EXIT.ok;
  },
};
