import { MAILER_INBOX_PATTERNS, type InboxFolder } from '@sogoms/ipc';
import { EXIT, type CliCommand } from '../cli-context.js';
import { callMailer, INBOX_TIMEOUT_MS } from '../mailer-client.js';
import { textTable } from '../text-table.js';

/** What `mail inbox folders` takes (declared in mail-inbox.command.ts). */
export interface MailInboxFoldersOptions {
  json?: boolean;
}

/** `sogoms mail inbox folders <app> <account>`: the account's folders with their counts. */
export const mailInboxFoldersCommand: CliCommand<MailInboxFoldersOptions> = {
  async run(ctx) {
    const [app, account] = ctx.args;
    const folders = await callMailer<InboxFolder[]>(
      ctx.configRoot,
      MAILER_INBOX_PATTERNS.folders,
      { app, account },
      INBOX_TIMEOUT_MS,
    );
    ctx.out(
      ctx.options.json === true
        ? JSON.stringify(folders, null, 2)
        : textTable(
            ['FOLDER', 'MESSAGES', 'UNSEEN', 'SPECIAL USE'],
            folders.map((f) => [f.path, String(f.messages), String(f.unseen), f.special_use ?? '']),
          ),
    );
    return EXIT.ok;
  },
};
