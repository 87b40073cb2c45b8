import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-backoff.js';

describe('retryDelayMs', () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };

  it('doubles per attempt, within the upper half of the delay (jitter)', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(policy, n, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(policy, n, () => 1))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never grows past the cap', () => {
    expect(retryDelayMs(policy, 30, () => 1)).toBe(60_000);
    expect(retryDelayMs(policy, 30, () => 0)).toBe(30_000);
  });
});
