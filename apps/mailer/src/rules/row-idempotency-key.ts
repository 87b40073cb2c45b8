import { createHash } from 'node:crypto';
import { idempotencyKeyProblem } from '@sogoms/common';
import type { IncomingMail } from './rule-matcher.js';

/**
 * The `Idempotency-Key` of a rule's create_row for one message: `mail:{app}:{rule}:{Message-ID}`,
 * or the message's IMAP place without a Message-ID. The gateway keeps it per user and table, so a
 * message taken up again (its process died after the POST) answers the row made then instead of
 * making a second. `occurrence` counts the rule's create_row actions on the same table (the
 * second is `{rule}#2`). A Message-ID the header cannot carry (too long, not ASCII) goes in as
 * its SHA-256.
 */
export const rowIdempotencyKey = (
  app: string,
  rule: string,
  occurrence: number,
  mail: IncomingMail,
): string => {
  const prefix = `mail:${app}:${rule}${occurrence > 1 ? `#${occurrence}` : ''}:`;
  const id = mail.messageId ?? mail.imapId;
  const key = `${prefix}${id}`;
  return idempotencyKeyProblem(key) === null
    ? key
    : `${prefix}sha256:${createHash('sha256').update(id).digest('hex')}`;
};
