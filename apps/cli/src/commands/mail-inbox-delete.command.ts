import { MAILER_INBOX_PATTERNS } from '@sogoms/ipc';
import { EXIT, type CliCommand } from '../cli-context.js';
import { callMailer, INBOX_TIMEOUT_MS } from '../mailer-client.js';
import { messageAddress } from './mail-inbox-request.js';

/** What `mail inbox delete` takes (declared in mail-inbox.command.ts). */
export interface MailInboxDeleteOptions {
  folder?: string;
}

/** `sogoms mail inbox delete <app> <account> <uid>`: deletes (and expunges) one message. */
export const mailInboxDeleteCommand: CliCommand<MailInboxDeleteOptions> = {
  async run(ctx) {
    const request = messageAddress(ctx.args, ctx.options.folder);
    await callMailer(ctx.configRoot, MAILER_INBOX_PATTERNS.delete, request, INBOX_TIMEOUT_MS);
    ctx.out(`message ${request.uid} deleted from ${request.folder ?? 'INBOX'}`);
    return EXIT.ok;
  },
};
