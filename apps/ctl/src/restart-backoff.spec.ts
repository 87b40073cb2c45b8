import { describe, expect, it } from 'vitest';
import { RestartBackoff } from './restart-backoff.js';

/** A clock the test moves by hand. */
const fakeClock = (): { now: () => number; advance: (ms: number) => void } => {
  let time = 1_000_000;
  return { now: () => time, advance: (ms) => (time += ms) };
};

const policy = { initialDelayMs: 200, maxDelayMs: 10_000, resetAfterMs: 60_000 };

describe('RestartBackoff', () => {
  it('doubles the delay per crash up to the maximum', () => {
    const backoff = new RestartBackoff(policy);
    const delays = Array.from({ length: 9 }, () => backoff.nextDelayMs());
    expect(delays).toEqual([200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000]);
  });

  it('starts again from the initial delay after a healthy minute', () => {
    const clock = fakeClock();
    const backoff = new RestartBackoff(policy, clock.now);
    expect([backoff.nextDelayMs(), backoff.nextDelayMs(), backoff.nextDelayMs()]).toEqual([200, 400, 800]);
    backoff.markHealthy();
    clock.advance(30_000);
    backoff.markHealthy(); // later passes do not move the start of the streak
    clock.advance(30_000);
    expect(backoff.nextDelayMs()).toBe(200);
    expect(backoff.nextDelayMs()).toBe(400);
  });

  it('keeps growing when the service was healthy for less than the reset time', () => {
    const clock = fakeClock();
    const backoff = new RestartBackoff(policy, clock.now);
    backoff.nextDelayMs();
    backoff.nextDelayMs();
    backoff.markHealthy();
    clock.advance(59_999);
    expect(backoff.nextDelayMs()).toBe(800);
  });

  it('counts the healthy streak from the last recovery, not the first healthy check', () => {
    const clock = fakeClock();
    const backoff = new RestartBackoff(policy, clock.now);
    backoff.nextDelayMs();
    backoff.markHealthy();
    clock.advance(50_000);
    backoff.markUnhealthy();
    clock.advance(5_000);
    backoff.markHealthy();
    clock.advance(50_000);
    expect(backoff.nextDelayMs()).toBe(400);
    // A crash ends the streak too: the next one needs a fresh healthy minute.
    clock.advance(120_000);
    expect(backoff.nextDelayMs()).toBe(800);
  });
});
