import type { MailMessageStatus } from '@sogoms/ipc';
import { textTable } from '../text-table.js';

/** Queue rows as the mail commands print them. */
export const mailStatusTable = (messages: readonly MailMessageStatus[]): string =>
  messages.length === 0
    ? '(no messages)'
    : textTable(
        ['ID', 'STATE', 'TO', 'SUBJECT', 'ATTEMPTS', 'CREATED', 'LAST ERROR'],
        messages.map((m) => [
          String(m.id),
          m.state,
          m.to,
          m.subject,
          `${m.attempts}/${m.max_attempts}`,
          m.created_at,
          m.last_error ?? '',
        ]),
      );
