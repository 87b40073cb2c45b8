import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MAILER_INBOX_PATTERNS, type InboxMessage } from '@sogoms/ipc';
import { CliFailure, EXIT, type CliCommand } from '../cli-context.js';
import { callMailer, INBOX_TIMEOUT_MS } from '../mailer-client.js';
import { messageAddress } from './mail-inbox-request.js';

/** What `mail inbox fetch` takes (declared in mail-inbox.command.ts). */
export interface MailInboxFetchOptions {
  folder?: string;
  html?: boolean;
  attachment?: string;
  out?: string;
  json?: boolean;
}

const attachmentIndex = (value: string): number => {
  if (!/^\d+$/.test(value))
    throw new CliFailure(`--attachment: expected an index (0, 1, …), got ${JSON.stringify(value)}`);
  return Number(value);
};

/** The message as a reader wants it: the main headers, the text (or the sanitised HTML), the attachments. */
const readable = (message: InboxMessage, html: boolean): string => {
  const header = (name: string, value: string | null | undefined): string[] =>
    value === null || value === undefined || value === '' ? [] : [`${name}: ${value}`];
  const body = html
    ? (message.html ?? '(no HTML part)')
    : (message.text ?? (message.html === null ? '(no text)' : '(HTML only: --html prints it)'));
  return [
    ...header('UID', String(message.uid)),
    ...header('Message-ID', message.message_id),
    ...header('Date', message.date),
    ...header('From', message.from),
    ...header('To', message.to.join(', ')),
    ...header('Cc', message.cc.join(', ')),
    ...header('Reply-To', message.reply_to),
    ...header('Subject', message.subject),
    ...header('Seen', message.seen ? 'yes' : 'no'),
    '',
    body.trimEnd(),
    ...(message.attachments.length === 0
      ? []
      : [
          '',
          'Attachments:',
          ...message.attachments.map(
            (a) => `  ${a.index}  ${a.filename ?? '(no name)'}  ${a.content_type}  ${a.size} bytes`,
          ),
        ]),
  ].join('\n');
};

/**
 * `sogoms mail inbox fetch <app> <account> <uid>`: one message; `--attachment i --out FILE`
 * saves that attachment (its content comes over IPC in base64, capped by the mailer).
 */
export const mailInboxFetchCommand: CliCommand<MailInboxFetchOptions> = {
  async run(ctx) {
    const o = ctx.options;
    if ((o.attachment === undefined) !== (o.out === undefined))
      throw new CliFailure(
        '--attachment and --out go together: the index of an attachment and the file to save it in',
      );
    const attachment = o.attachment === undefined ? undefined : attachmentIndex(o.attachment);
    const message = await callMailer<InboxMessage>(
      ctx.configRoot,
      MAILER_INBOX_PATTERNS.fetch,
      { ...messageAddress(ctx.args, o.folder), ...(attachment === undefined ? {} : { attachment }) },
      INBOX_TIMEOUT_MS,
    );
    if (attachment !== undefined && o.out !== undefined) {
      const found = message.attachments.find((a) => a.index === attachment);
      if (found === undefined)
        throw new CliFailure(
          `message ${message.uid} has ${message.attachments.length} attachment(s); there is no ${attachment}`,
          EXIT.failed,
        );
      if (found.content === undefined)
        throw new CliFailure(
          `attachment ${attachment} (${found.size} bytes) is larger than the mailer returns; fetch it with an IMAP client`,
          EXIT.failed,
        );
      const path = resolve(o.out);
      writeFileSync(path, Buffer.from(found.content, 'base64'));
      ctx.out(`saved ${found.filename ?? `attachment ${attachment}`} (${found.size} bytes) to ${path}`);
      return EXIT.ok;
    }
    ctx.out(o.json === true ? JSON.stringify(message, null, 2) : readable(message, o.html === true));
    return EXIT.ok;
  },
};
