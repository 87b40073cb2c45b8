/** A message as it is queued (the `message` column, JSON) and handed to the SMTP transport. */
export interface OutgoingMessage {
  from: string;
  replyTo: string | null;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text: string | null;
  html: string | null;
  headers: Record<string, string>;
  /** Content always inline (base64): a path was read when the message was queued. */
  attachments: { filename: string; content: string; contentType: string | null }[];
}

/** What the queue stores for one new message. */
export interface QueuedMessage {
  message: OutgoingMessage;
  idempotencyKey: string | null;
}
