export interface BackoffPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** A service healthy without interruption this long starts again from the initial delay. */
  resetAfterMs: number;
}

/**
 * Exponential restart delays for one service: initial, 2×, 4× … capped at the maximum. A crash
 * loop therefore slows down, while a service that ran healthily for a while restarts quickly.
 */
export class RestartBackoff {
  private crashes = 0;
  private healthySince: number | null = null;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** A health check passed; the healthy streak counts from the first pass. */
  markHealthy(): void {
    this.healthySince ??= this.now();
  }

  markUnhealthy(): void {
    this.healthySince = null;
  }

  /** The delay before restarting after a crash that happens now. */
  nextDelayMs(): number {
    if (this.healthySince !== null && this.now() - this.healthySince >= this.policy.resetAfterMs) {
      this.crashes = 0;
    }
    this.healthySince = null;
    const delay = Math.min(this.policy.initialDelayMs * 2 ** this.crashes, this.policy.maxDelayMs);
    this.crashes += 1;
    return delay;
  }
}
