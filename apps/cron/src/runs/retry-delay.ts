import type { RetryPolicy } from '../config/cron-job.js';

/** Milliseconds before attempt `next` (2, 3, ...): `delay_s` each time, or doubling from it. */
export const retryDelayMs = (policy: RetryPolicy, next: number): number =>
  policy.backoff === 'fixed' ? policy.delayS * 1000 : policy.delayS * 1000 * 2 ** (next - 2);
