import { EXIT, type CliCommand } from '../cli-context.js';
import { adminUsersOf, usernameArg } from '../admin-users.lookup.js';

/** What `admin totp` takes (declared in admin.command.ts). */
export interface AdminTotpOptions {
  disable?: boolean;
}

/** `sogoms admin totp <username> [--disable]`: a new TOTP secret (or none). */
export const adminTotpCommand: CliCommand<AdminTotpOptions> = {
  run(ctx) {
    const username = usernameArg(ctx.args);
    const file = adminUsersOf(ctx.configRoot);
    if (ctx.options.disable === true) {
      file.disableTotp(username);
      ctx.out(`turned TOTP off for admin user ${username}: the password alone logs in`);
      return Promise.resolve(EXIT.ok);
    }
    const { uri, secret } = file.enableTotp(username);
    ctx.out(`turned TOTP on for admin user ${username}; their next login asks for the 6-digit code.`);
    ctx.out('Add it to an authenticator app (the URI as a QR code, or the secret typed in):');
    ctx.out(`  uri:    ${uri}`);
    ctx.out(`  secret: ${secret}`);
    return Promise.resolve(EXIT.ok);
  },
};
