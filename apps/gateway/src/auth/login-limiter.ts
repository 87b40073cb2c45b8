import { Injectable } from '@nestjs/common';
import type { Row, TransactionStatement } from '@sogoms/ipc';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { AttemptCounters, type CounterRule } from './attempt-counters.js';
import { tooManyRequests } from './too-many-requests.js';

const accountBucket = (login: string): string => `login:account:${login}`;
const ipBucket = (ip: string): string => `login:ip:${ip}`;

/**
 * Failed logins per account and per IP (`auth.max_failures`, `auth.ip_max_failures` within
 * `auth.failure_window`): a counter at its max locks for `auth.lockout`, doubling with each
 * further lock up to `auth.lockout_max`. While locked every attempt is a 429, whether or not the
 * password is right; the account is keyed by the login as typed (normalized), so an unknown
 * address locks exactly like a known one.
 */
@Injectable()
export class LoginLimiter {
  constructor(private readonly counters: AttemptCounters) {}

  /** Reads the two locks in the caller's transaction (the login reads its user in the same round trip). */
  locksStatement(app: AppRuntime, login: string, ip: string, now: number): TransactionStatement {
    return this.counters.locksStatement(app.config.name, [accountBucket(login), ipBucket(ip)], now);
  }

  /** Throws the 429 when `locksStatement`'s rows hold a running lock. */
  refuseIfLocked(rows: Row[], now: number): void {
    const until = AttemptCounters.lockedUntil(rows);
    if (until > now) throw tooManyRequests('Too many failed logins: try again later', until, now);
  }

  fail(app: AppRuntime, login: string, ip: string, now: number): Promise<void> {
    return this.counters.fail(app, this.rules(app, login, ip), now);
  }

  /** A successful login forgets the account's failures (the IP's stay: one good account must not launder a stuffing run). */
  successStatement(app: AppRuntime, login: string): TransactionStatement {
    return this.counters.clearStatement(app.config.name, accountBucket(login));
  }

  private rules(app: AppRuntime, login: string, ip: string): CounterRule[] {
    const auth = app.config.auth;
    const common = {
      windowMs: auth.failureWindowS * 1000,
      lockMs: auth.lockoutS * 1000,
      lockMaxMs: auth.lockoutMaxS * 1000,
    };
    return [
      { bucket: accountBucket(login), max: auth.maxFailures, ...common },
      { bucket: ipBucket(ip), max: auth.ipMaxFailures, ...common },
    ];
  }
}
