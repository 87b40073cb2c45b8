import { isRecord, SogomsError } from '@sogoms/common';
import type { RenderedMail } from '@sogoms/ipc';
import type { MailApp } from '../mailer-settings.js';
import { readAttachments } from './attachment-reader.js';
import { mailAddress, mailAddresses } from './mail-address.js';
import type { QueuedMessage } from './outgoing-message.js';

const MAX_KEY_LENGTH = 191;
const HEADER_NAME = /^[A-Za-z0-9-]{1,76}$/;

const invalid = (field: string, message: string): SogomsError =>
  new SogomsError('VALIDATION_FAILED', `${field}: ${message}`, { field });

/** The payload as a mapping with its `app`; BAD_REQUEST otherwise. */
export const payloadOf = (payload: unknown): Record<string, unknown> & { app: string } => {
  if (!isRecord(payload) || typeof payload.app !== 'string')
    throw new SogomsError('BAD_REQUEST', 'The payload must be an object with an app');
  return payload as Record<string, unknown> & { app: string };
};

const optionalText = (value: unknown, field: string): string | null => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid(field, 'a string is required');
  return value;
};

const headersOf = (value: unknown): Record<string, string> => {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw invalid('headers', 'a mapping of header names to strings is required');
  for (const [name, text] of Object.entries(value)) {
    // No CR/LF: a header value must not start another header.
    if (!HEADER_NAME.test(name) || typeof text !== 'string' || /[\r\n]/.test(text))
      throw invalid(`headers.${name}`, 'a header name and a one-line string are required');
  }
  return value as Record<string, string>;
};

export const idempotencyKeyOf = (value: unknown, field = 'idempotency_key'): string | null => {
  const key = optionalText(value, field);
  if (key !== null && (key === '' || key.length > MAX_KEY_LENGTH))
    throw invalid(field, `1 to ${MAX_KEY_LENGTH} characters are required`);
  return key;
};

/**
 * A message ready for the queue from the addressing part of a request (`to`, `cc`, ...) and its
 * content (given, or rendered from a template). Every problem is found before anything is queued.
 */
export const queuedMessageOf = (
  app: MailApp,
  request: Record<string, unknown>,
  content: RenderedMail,
  prefix = '',
): QueuedMessage => {
  if (content.subject === '' || /[\r\n]/.test(content.subject))
    throw invalid('subject', 'a one-line subject is required');
  if (content.text === null && content.html === null) throw invalid('text', 'text or html is required');
  return {
    idempotencyKey: idempotencyKeyOf(request.idempotency_key, `${prefix}idempotency_key`),
    message: {
      from: request.from === undefined ? app.smtp.from : mailAddress(request.from, 'from'),
      replyTo: request.reply_to === undefined ? app.smtp.replyTo : mailAddress(request.reply_to, 'reply_to'),
      to: mailAddresses(request.to, `${prefix}to`, true),
      cc: mailAddresses(request.cc, 'cc', false),
      bcc: mailAddresses(request.bcc, 'bcc', false),
      subject: content.subject,
      text: content.text,
      html: content.html,
      headers: headersOf(request.headers),
      attachments: readAttachments(app, request.attachments),
    },
  };
};

/** `send`: subject, text and html as given. */
export const givenContentOf = (request: Record<string, unknown>): RenderedMail => ({
  subject: optionalText(request.subject, 'subject') ?? '',
  text: optionalText(request.text, 'text'),
  html: optionalText(request.html, 'html'),
});
