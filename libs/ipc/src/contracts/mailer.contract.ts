/**
 * The mailer service's message patterns and payloads (docs/mailer.md). Every send is written to
 * the app's `sogoms_mail_queue` first and answers the message id; the worker delivers it later.
 * Errors come back as SogomsError: VALIDATION_FAILED (bad address, missing variable, attachment
 * outside the app folder; details {field}), NOT_FOUND (unknown app, template or message),
 * BAD_REQUEST (the app has no `smtp:`, malformed payload), CONFLICT (retry/cancel in a state that
 * does not allow it), UNAVAILABLE (the database cannot be reached).
 */
export const MAILER_PATTERNS = {
  send: 'mailer.send',
  sendTemplate: 'mailer.send_template',
  sendBulk: 'mailer.send_bulk',
  /** Renders a template without queueing anything (`sogoms mail preview`). */
  preview: 'mailer.preview',
  status: 'mailer.status',
  list: 'mailer.list',
  retry: 'mailer.retry',
  cancel: 'mailer.cancel',
  /** `{ok: true}` only while the mailer reaches the db service. */
  health: 'mailer.health',
} as const;

export type MailState = 'queued' | 'sending' | 'sent' | 'failed' | 'dead';
export const MAIL_STATES: readonly MailState[] = ['queued', 'sending', 'sent', 'failed', 'dead'];

export interface MailAttachment {
  filename: string;
  /** Inline content; `encoding: base64` for binary. */
  content?: string;
  encoding?: 'utf8' | 'base64';
  /** A file inside the app's folder (relative to it), read when the message is queued. */
  path?: string;
  content_type?: string;
}

export interface MailSendRequest {
  app: string;
  /** An address, `Name <address>`, or a list of them. */
  to: string | string[];
  cc?: string | string[];
  bcc?: string | string[];
  /** Default: app.yaml `smtp.from`. */
  from?: string;
  reply_to?: string;
  subject: string;
  text?: string;
  html?: string;
  attachments?: MailAttachment[];
  headers?: Record<string, string>;
  /** The same key twice queues one message (the second call answers the first one's id). */
  idempotency_key?: string;
}

export interface MailSendTemplateRequest {
  app: string;
  /** `config/apps/{app}/emails/{template}.yaml`. */
  template: string;
  vars?: Record<string, unknown>;
  to: string | string[];
  cc?: string | string[];
  bcc?: string | string[];
  /** Picks `{template}.{lang}.yaml` when it exists (also read from `vars.lang`). */
  lang?: string;
  attachments?: MailAttachment[];
  headers?: Record<string, string>;
  idempotency_key?: string;
}

export interface MailBulkRecipient {
  to: string | string[];
  vars?: Record<string, unknown>;
  lang?: string;
  idempotency_key?: string;
}

export interface MailSendBulkRequest {
  app: string;
  template: string;
  /** Shared by every recipient; a recipient's own vars win. */
  vars?: Record<string, unknown>;
  recipients: MailBulkRecipient[];
}

export interface MailPreviewRequest {
  app: string;
  template: string;
  vars?: Record<string, unknown>;
  lang?: string;
}

export interface RenderedMail {
  subject: string;
  text: string | null;
  html: string | null;
}

export interface MailQueued {
  id: number;
  /** False when the idempotency key was seen before: nothing new was queued. */
  created: boolean;
}

export interface MailBulkQueued {
  ids: number[];
  created: number;
}

export interface MailStatusRequest {
  app: string;
  id: number;
}

export interface MailListRequest {
  app: string;
  state?: MailState;
  /** ISO 8601: messages created at or after. */
  since?: string;
  /** Default 50, at most 500; newest first. */
  limit?: number;
}

/** One message of the queue, as status and list answer it (times in ISO 8601). */
export interface MailMessageStatus {
  id: number;
  state: MailState;
  to: string;
  subject: string;
  attempts: number;
  max_attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  provider_message_id: string | null;
  idempotency_key: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

/**
 * Mail in (docs/mail-in.md): the IMAP accounts of app.yaml `imap:`. Every call names the app and
 * the account; errors: NOT_FOUND (unknown app, account, folder or uid), BAD_REQUEST (the app has
 * no imap:, malformed payload), UNAVAILABLE (the IMAP server cannot be reached or refused the login).
 */
export const MAILER_INBOX_PATTERNS = {
  folders: 'mailer.inbox.folders',
  list: 'mailer.inbox.list',
  fetch: 'mailer.inbox.fetch',
  markRead: 'mailer.inbox.mark_read',
  move: 'mailer.inbox.move',
  delete: 'mailer.inbox.delete',
} as const;

export interface InboxFolder {
  path: string;
  /** `\\Sent`, `\\Trash`, … when the server says so. */
  special_use: string | null;
  messages: number;
  unseen: number;
}

export interface InboxListRequest {
  app: string;
  account: string;
  /** Default INBOX. */
  folder?: string;
  /** Default 50, at most 500; newest first. */
  limit?: number;
  offset?: number;
  unseen_only?: boolean;
  from?: string;
  subject?: string;
  /** ISO 8601 date: messages received on or after it. */
  since?: string;
}

/** One message in a list (headers only). */
export interface InboxMessageSummary {
  uid: number;
  message_id: string | null;
  from: string | null;
  to: string[];
  subject: string | null;
  date: string | null;
  seen: boolean;
  size: number;
}

export interface InboxMessageRequest {
  app: string;
  account: string;
  folder?: string;
  uid: number;
}

export interface InboxFetchRequest extends InboxMessageRequest {
  /** The index (in `attachments`) of one attachment whose content to return, base64. */
  attachment?: number;
}

export interface InboxAttachment {
  index: number;
  filename: string | null;
  content_type: string;
  size: number;
  /** Present only when asked for (`attachment: index`), base64, when within the size cap. */
  content?: string;
}

export interface InboxMessage extends InboxMessageSummary {
  cc: string[];
  reply_to: string | null;
  headers: Record<string, string>;
  text: string | null;
  /** Sanitised: no script, no event handler attributes, no javascript: links, no remote forms. */
  html: string | null;
  attachments: InboxAttachment[];
}

export interface InboxMoveRequest extends InboxMessageRequest {
  to: string;
}
