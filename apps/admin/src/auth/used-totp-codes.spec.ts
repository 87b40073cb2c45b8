import { describe, expect, it } from 'vitest';
import { UsedTotpCodes } from './used-totp-codes.js';

describe('UsedTotpCodes', () => {
  it('refuses a code a second time while it could still verify, per user, then forgets it', () => {
    let now = 1_000_000;
    const codes = new UsedTotpCodes();
    expect(codes.wasUsed('tina', '123456', now)).toBe(false);
    codes.markUsed('tina', '123456', now);
    expect(codes.wasUsed('tina', '123456', now)).toBe(true);
    expect(codes.wasUsed('tom', '123456', now)).toBe(false);
    expect(codes.wasUsed('tina', '654321', now)).toBe(false);
    now += 89_999;
    expect(codes.wasUsed('tina', '123456', now)).toBe(true);
    now += 1;
    expect(codes.wasUsed('tina', '123456', now)).toBe(false);
  });
});
