import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Every answer that must not tell a known address from an unknown one (forgot, resend) takes at
 * least this long: a known one writes a token and queues a mail, an unknown one reads one row,
 * and both take well under it.
 */
export const EVEN_ANSWER_MS = 400;

/** Waits out the rest of EVEN_ANSWER_MS since `startedMs`. */
export const answerNoSoonerThan = (startedMs: number): Promise<void> =>
  sleep(Math.max(0, EVEN_ANSWER_MS - (Date.now() - startedMs)));
