import { readFileSync, realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { isRecord, SogomsError } from '@sogoms/common';
import type { MailApp } from '../mailer-settings.js';
import type { OutgoingMessage } from './outgoing-message.js';

type Attachment = OutgoingMessage['attachments'][number];

const invalid = (field: string, message: string): SogomsError =>
  new SogomsError('VALIDATION_FAILED', `${field}: ${message}`, { field });

/**
 * Attachments as the queue stores them: inline content, or a file inside the app's folder read
 * now (symlinks resolved first, so none leads outside it).
 */
export const readAttachments = (app: MailApp, value: unknown): Attachment[] => {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid('attachments', 'a list is required');
  return value.map((item, i): Attachment => {
    const field = `attachments[${i}]`;
    if (!isRecord(item) || typeof item.filename !== 'string' || item.filename === '')
      throw invalid(`${field}.filename`, 'a file name is required');
    const contentType = typeof item.content_type === 'string' ? item.content_type : null;
    if (typeof item.content === 'string') {
      const base64 =
        item.encoding === 'base64' ? item.content : Buffer.from(item.content, 'utf8').toString('base64');
      return { filename: item.filename, content: base64, contentType };
    }
    if (typeof item.path !== 'string' || item.path === '')
      throw invalid(field, 'content or path is required');
    let file: string;
    try {
      file = realpathSync(resolve(app.dir, item.path));
    } catch {
      throw invalid(`${field}.path`, `no file '${item.path}' in the app's folder`);
    }
    if (!file.startsWith(realpathSync(app.dir) + sep))
      throw invalid(`${field}.path`, `'${item.path}' is outside the app's folder`);
    return { filename: item.filename, content: readFileSync(file).toString('base64'), contentType };
  });
};
