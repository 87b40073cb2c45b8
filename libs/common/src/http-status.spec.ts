import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  HTTP_ERROR_STATUSES,
  codesWithoutStatus,
  errorCodeForStatus,
  httpStatusFor,
  SogomsError,
  fail,
} from '@sogoms/common';

describe('the error status table', () => {
  it('gives every code exactly one 4xx or 5xx status', () => {
    expect(codesWithoutStatus()).toEqual([]);
    for (const code of ERROR_CODES) {
      const rows = HTTP_ERROR_STATUSES.filter((s) => s.codes.includes(code));
      expect(rows, code).toHaveLength(1);
      expect(httpStatusFor(code)).toBeGreaterThanOrEqual(400);
      expect(httpStatusFor(code)).toBeLessThan(600);
    }
    expect(httpStatusFor('CONFLICT')).toBe(409);
    expect(httpStatusFor('UNAVAILABLE')).toBe(503);
    expect(httpStatusFor('METHOD_NOT_ALLOWED')).toBe(405);
  });

  it('maps a status back to its own code, the first of its row', () => {
    for (const row of HTTP_ERROR_STATUSES) expect(errorCodeForStatus(row.status)).toBe(row.codes[0]);
    expect(errorCodeForStatus(409)).toBe('CONFLICT');
    expect(errorCodeForStatus(418)).toBeUndefined();
    expect(new Set(HTTP_ERROR_STATUSES.map((s) => s.status)).size).toBe(HTTP_ERROR_STATUSES.length);
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
