import type { InboxAttachment, InboxMessage } from '@sogoms/ipc';
import { SogomsError } from '@sogoms/common';
import type { AddressObject, ParsedMail } from 'mailparser';
import sanitizeHtml from 'sanitize-html';

/** An attachment's content is returned up to this size; larger ones are listed but not sent over IPC. */
export const ATTACHMENT_CONTENT_CAP = 5 * 1024 * 1024;

const addresses = (value: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((group) =>
    group.value.flatMap((entry) => (entry.address === undefined ? [] : [entry.address.toLowerCase()])),
  );

const headerText = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null && 'text' in value) return String(value.text);
  if (typeof value === 'object' && value !== null && 'value' in value) return String(value.value);
  return String(value);
};

/**
 * What `fetch` answers for a parsed message. The HTML goes through sanitize-html's defaults: no
 * script or style element, no event-handler attribute, only http(s)/mailto links, so a client may
 * show it without running the sender's code.
 */
export const messageView = (
  uid: number,
  seen: boolean,
  size: number,
  mail: ParsedMail,
  withAttachment?: number,
): InboxMessage => {
  const attachments: InboxAttachment[] = mail.attachments.map((attachment, index) => ({
    index,
    filename: attachment.filename ?? null,
    content_type: attachment.contentType,
    size: attachment.size,
  }));
  if (withAttachment !== undefined) {
    const asked = mail.attachments[withAttachment];
    if (asked === undefined)
      throw new SogomsError('NOT_FOUND', `The message has no attachment ${withAttachment}`, {
        field: 'attachment',
      });
    if (asked.size > ATTACHMENT_CONTENT_CAP)
      throw new SogomsError(
        'PAYLOAD_TOO_LARGE',
        `Attachment ${withAttachment} is ${asked.size} bytes; at most ${ATTACHMENT_CONTENT_CAP} are returned`,
      );
    attachments[withAttachment] = {
      ...attachments[withAttachment],
      content: asked.content.toString('base64'),
    };
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of mail.headers) headers[name] = headerText(value);
  return {
    uid,
    message_id: mail.messageId ?? null,
    from: addresses(mail.from)[0] ?? null,
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    reply_to: addresses(mail.replyTo)[0] ?? null,
    subject: mail.subject ?? null,
    date: mail.date?.toISOString() ?? null,
    seen,
    size,
    headers,
    text: mail.text ?? null,
    html: mail.html === false || mail.html === undefined ? null : sanitizeHtml(mail.html),
    attachments,
  };
};
