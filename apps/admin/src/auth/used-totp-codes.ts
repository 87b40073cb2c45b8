import { Injectable } from '@nestjs/common';

/** A code is valid for its 30 s step and one step either side: remembered that long. */
const REMEMBERED_MS = 90_000;

/**
 * The TOTP codes that signed someone in lately: a code lets its user in once, so one seen over a
 * shoulder or replayed from a captured request is refused while it would still verify.
 */
@Injectable()
export class UsedTotpCodes {
  /** `{username}:{code}` → when it may be forgotten. */
  private readonly codes = new Map<string, number>();

  wasUsed(username: string, code: string, now = Date.now()): boolean {
    for (const [key, until] of this.codes) if (until <= now) this.codes.delete(key);
    return this.codes.has(`${username}:${code}`);
  }

  markUsed(username: string, code: string, now = Date.now()): void {
    this.codes.set(`${username}:${code}`, now + REMEMBERED_MS);
  }
}
