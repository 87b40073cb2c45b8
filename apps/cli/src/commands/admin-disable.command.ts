import { EXIT, type CliCommand } from '../cli-context.js';
import { adminUsersOf, usernameArg } from '../admin-users.lookup.js';

/** `sogoms admin disable <username>` and `sogoms admin enable <username>`. */
export const adminDisableCommand = (disabled: boolean): CliCommand => ({
  run(ctx) {
    const username = usernameArg(ctx.args);
    adminUsersOf(ctx.configRoot).setDisabled(username, disabled);
    ctx.out(`${disabled ? 'disabled' : 'enabled'} admin user ${username}`);
    return Promise.resolve(EXIT.ok);
  },
});
