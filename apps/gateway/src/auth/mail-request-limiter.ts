import { Injectable } from '@nestjs/common';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { AttemptCounters, type CounterRule, type CounterState } from './attempt-counters.js';
import { tooManyRequests } from './too-many-requests.js';

/**
 * Reset and verification mails asked for, per address and per IP (`auth.mail_per_address`,
 * `auth.mail_per_ip` within `auth.mail_window`). Over either: 429 until the window ends, the same
 * for a known and an unknown address.
 */
@Injectable()
export class MailRequestLimiter {
  constructor(private readonly counters: AttemptCounters) {}

  async count(app: AppRuntime, purpose: string, address: string, ip: string, now: number): Promise<void> {
    const auth = app.config.auth;
    const windowMs = auth.mailWindowS * 1000;
    const rules: CounterRule[] = [
      {
        bucket: `${purpose}:address:${address}`,
        max: auth.mailPerAddress,
        windowMs,
        lockMs: 0,
        lockMaxMs: 0,
      },
      { bucket: `${purpose}:ip:${ip}`, max: auth.mailPerIp, windowMs, lockMs: 0, lockMaxMs: 0 },
    ];
    const states = await this.counters.hit(app, rules, now);
    const over = states.filter(
      (state) => state.hits > (rules.find((r) => r.bucket === state.bucket)?.max ?? 0),
    );
    if (over.length > 0) {
      const until = Math.max(...over.map((state: CounterState) => state.windowStart + windowMs));
      throw tooManyRequests('Too many requests for this address: try again later', until, now);
    }
  }
}
