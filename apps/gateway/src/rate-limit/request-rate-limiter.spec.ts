import { describe, expect, it } from 'vitest';
import { RequestRateLimiter } from './request-rate-limiter.js';

describe('RequestRateLimiter (a fake clock: the times are arguments)', () => {
  it('lets `requests` through per window and IP, then answers the seconds left', () => {
    const limiter = new RequestRateLimiter(3, 10_000);
    expect([0, 1, 2].map(() => limiter.take('10.0.0.1', 1_000))).toEqual([0, 0, 0]);
    expect(limiter.take('10.0.0.1', 1_500)).toBe(10);
    expect(limiter.take('10.0.0.1', 9_200)).toBe(2);
    // Another address has its own window.
    expect(limiter.take('10.0.0.2', 9_200)).toBe(0);
    // A new window starts once the old one has ended.
    expect(limiter.take('10.0.0.1', 11_000)).toBe(0);
  });
});
