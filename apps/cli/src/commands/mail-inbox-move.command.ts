import { MAILER_INBOX_PATTERNS } from '@sogoms/ipc';
import { EXIT, type CliCommand } from '../cli-context.js';
import { callMailer, INBOX_TIMEOUT_MS } from '../mailer-client.js';
import { messageAddress } from './mail-inbox-request.js';

/** What `mail inbox move` takes (declared in mail-inbox.command.ts). */
export interface MailInboxMoveOptions {
  folder?: string;
}

/** `sogoms mail inbox move <app> <account> <uid> <to>`: prints the message's UID in its new folder. */
export const mailInboxMoveCommand: CliCommand<MailInboxMoveOptions> = {
  async run(ctx) {
    const request = { ...messageAddress(ctx.args, ctx.options.folder), to: ctx.args[3] };
    const moved = await callMailer<{ folder: string; new_uid: number | null }>(
      ctx.configRoot,
      MAILER_INBOX_PATTERNS.move,
      request,
      INBOX_TIMEOUT_MS,
    );
    ctx.out(
      `message ${request.uid} moved to ${moved.folder}${moved.new_uid === null ? '' : ` (uid ${moved.new_uid} there)`}`,
    );
    return EXIT.ok;
  },
};
