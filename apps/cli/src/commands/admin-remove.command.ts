import { EXIT, type CliCommand } from '../cli-context.js';
import { adminUsersOf, usernameArg } from '../admin-users.lookup.js';

/** `sogoms admin remove <username>`. */
export const adminRemoveCommand: CliCommand = {
  run(ctx) {
    const username = usernameArg(ctx.args);
    adminUsersOf(ctx.configRoot).remove(username);
    ctx.out(`removed admin user ${username}`);
    return Promise.resolve(EXIT.ok);
  },
};
