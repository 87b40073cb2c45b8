import { describe, expect, it } from 'vitest';
import { ERROR_CODES, httpStatusFor, SogomsError, fail } from '@sogoms/common';

describe('httpStatusFor', () => {
  it('maps every code to a 4xx or 5xx status', () => {
    for (const code of ERROR_CODES) {
      const status = httpStatusFor(code);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
    expect(httpStatusFor('CONFLICT')).toBe(409);
    expect(httpStatusFor('UNAVAILABLE')).toBe(503);
  });

  it('round-trips an error through its wire body', () => {
    const body = new SogomsError('CONFLICT', 'Email already registered', { field: 'email' }).toBody();
    expect(SogomsError.isBody(body)).toBe(true);
    expect(SogomsError.isBody({ code: 'NOPE', message: 'x' })).toBe(false);
    expect(fail(body)).toEqual({
      success: false,
      error: { code: 'CONFLICT', message: 'Email already registered', details: { field: 'email' } },
    });
  });
});
