import type { MailMessageStatus, MailState, Row } from '@sogoms/ipc';

const iso = (ms: unknown): string | null =>
  ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString();
const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** A queue row as status and list answer it. */
export const mailStatusOf = (row: Row): MailMessageStatus => ({
  id: Number(row.id),
  state: String(row.state) as MailState,
  to: String(row.to_address),
  subject: String(row.subject),
  attempts: Number(row.attempts),
  max_attempts: Number(row.max_attempts),
  next_attempt_at: row.state === 'queued' || row.state === 'failed' ? iso(row.next_attempt_at) : null,
  last_error: textOrNull(row.last_error),
  provider_message_id: textOrNull(row.provider_message_id),
  idempotency_key: textOrNull(row.idempotency_key),
  created_at: iso(row.created_at) ?? '',
  updated_at: iso(row.updated_at) ?? '',
  sent_at: iso(row.sent_at),
});

/** The columns status and list read (not the message body). */
export const STATUS_COLUMNS =
  'id, state, to_address, subject, attempts, max_attempts, next_attempt_at, last_error, provider_message_id, idempotency_key, created_at, updated_at, sent_at';
