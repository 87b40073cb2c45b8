import { MAILER_INBOX_PATTERNS } from '@sogoms/ipc';
import { EXIT, type CliCommand } from '../cli-context.js';
import { callMailer, INBOX_TIMEOUT_MS } from '../mailer-client.js';
import { messageAddress } from './mail-inbox-request.js';

/** What `mail inbox mark-read` takes (declared in mail-inbox.command.ts). */
export interface MailInboxMarkReadOptions {
  folder?: string;
}

/** `sogoms mail inbox mark-read <app> <account> <uid>`: sets \Seen. */
export const mailInboxMarkReadCommand: CliCommand<MailInboxMarkReadOptions> = {
  async run(ctx) {
    const request = messageAddress(ctx.args, ctx.options.folder);
    await callMailer(ctx.configRoot, MAILER_INBOX_PATTERNS.markRead, request, INBOX_TIMEOUT_MS);
    ctx.out(`message ${request.uid} in ${request.folder ?? 'INBOX'} marked read`);
    return EXIT.ok;
  },
};
