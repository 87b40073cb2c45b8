import { callService } from './service-client.js';

/**
 * How long an inbox command waits: the mailer opens an IMAP connection for it, and its own
 * connect timeout is 10 s (the CLI's default wait).
 */
export const INBOX_TIMEOUT_MS = 30_000;

/** One call to the running mailer (`{run_dir}/mailer.sock`); see callService for its failures. */
export const callMailer = <T>(
  configRoot: string,
  pattern: string,
  data: Record<string, unknown>,
  timeoutMs?: number,
): Promise<T> => callService<T>(configRoot, 'mailer', pattern, data, timeoutMs);
