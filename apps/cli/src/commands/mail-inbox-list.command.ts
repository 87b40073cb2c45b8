import { MAILER_INBOX_PATTERNS, type InboxMessageSummary } from '@sogoms/ipc';
import { EXIT, type CliCommand } from '../cli-context.js';
import { callMailer, INBOX_TIMEOUT_MS } from '../mailer-client.js';
import { textTable } from '../text-table.js';
import { folderField, positiveNumberArg } from './mail-inbox-request.js';

/** What `mail inbox list` takes (declared in mail-inbox.command.ts). */
export interface MailInboxListOptions {
  folder?: string;
  limit?: string;
  offset?: string;
  unseen?: boolean;
  from?: string;
  subject?: string;
  since?: string;
  json?: boolean;
}

/** `sogoms mail inbox list <app> <account> [filters]`: message headers, newest first. */
export const mailInboxListCommand: CliCommand<MailInboxListOptions> = {
  async run(ctx) {
    const [app, account] = ctx.args;
    const o = ctx.options;
    const offset =
      o.offset === undefined || o.offset === '0' ? undefined : positiveNumberArg('--offset', o.offset);
    const messages = await callMailer<InboxMessageSummary[]>(
      ctx.configRoot,
      MAILER_INBOX_PATTERNS.list,
      {
        app,
        account,
        ...folderField(o.folder),
        ...(o.limit === undefined ? {} : { limit: positiveNumberArg('--limit', o.limit) }),
        ...(offset === undefined ? {} : { offset }),
        ...(o.unseen === true ? { unseen_only: true } : {}),
        ...(o.from === undefined ? {} : { from: o.from }),
        ...(o.subject === undefined ? {} : { subject: o.subject }),
        ...(o.since === undefined ? {} : { since: o.since }),
      },
      INBOX_TIMEOUT_MS,
    );
    if (o.json === true) ctx.out(JSON.stringify(messages, null, 2));
    else if (messages.length === 0) ctx.out('(no messages)');
    else
      ctx.out(
        textTable(
          ['UID', 'SEEN', 'DATE', 'FROM', 'SUBJECT', 'SIZE'],
          messages.map((m) => [
            String(m.uid),
            m.seen ? 'yes' : 'no',
            m.date ?? '',
            m.from ?? '',
            m.subject ?? '',
            String(m.size),
          ]),
        ),
      );
    return EXIT.ok;
  },
};
