/** One client's window: requests counted since `startMs`. */
interface Window {
  startMs: number;
  count: number;
}

/** Clients remembered at most; past it, windows that ended are swept first, then the oldest. */
const MAX_CLIENTS = 100_000;

/**
 * A fixed-window counter per client IP in this process's memory: no I/O on the request path
 * (one Map lookup). Two gateways count separately, so the limit is per gateway process; the
 * login and mail limits, which must hold across gateways, live in the app's database instead.
 */
export class RequestRateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly requests: number,
    private readonly windowMs: number,
  ) {}

  /** Counts a request; 0 when it may pass, else the seconds until this client's window ends. */
  take(ip: string, now: number): number {
    let window = this.windows.get(ip);
    if (window === undefined || now - window.startMs >= this.windowMs) {
      if (window === undefined && this.windows.size >= MAX_CLIENTS) this.sweep(now);
      window = { startMs: now, count: 0 };
      this.windows.set(ip, window);
    }
    window.count++;
    if (window.count <= this.requests) return 0;
    return Math.max(1, Math.ceil((window.startMs + this.windowMs - now) / 1000));
  }

  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    for (const [ip, window] of this.windows) {
      if (now - window.startMs >= this.windowMs) this.windows.delete(ip);
    }
    // Still full (a flood of distinct addresses): forget the oldest.
    for (const ip of this.windows.keys()) {
      if (this.windows.size < MAX_CLIENTS) break;
      this.windows.delete(ip);
    }
  }
}
