/** When a temporary failure is tried again. */
export interface BackoffPolicy {
  /** Delay after the first failed attempt. */
  baseMs: number;
  /** The delay never grows past this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, maxMs: 6 * 3600_000 };

/**
 * Exponential backoff with jitter: after attempt n the wait is base·2^(n−1), capped, then drawn
 * from its upper half, so messages that failed together do not all come back together.
 */
export const retryDelayMs = (
  policy: BackoffPolicy,
  attempts: number,
  random: () => number = Math.random,
): number => {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
};
