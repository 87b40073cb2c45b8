import { describe, expect, it } from 'vitest';
import { classifySmtpFailure } from './smtp-failure.js';

describe('classifySmtpFailure', () => {
  it('makes a 5xx reply permanent and a 4xx reply temporary', () => {
    expect(
      classifySmtpFailure({ code: 'EENVELOPE', responseCode: 550, response: '550 No such user' }),
    ).toEqual({
      permanent: true,
      message: 'EENVELOPE: 550 No such user',
    });
    expect(
      classifySmtpFailure({ code: 'EENVELOPE', responseCode: 451, response: '451 Later' }).permanent,
    ).toBe(false);
    expect(
      classifySmtpFailure({ code: 'EAUTH', responseCode: 535, response: '535 Bad login' }).permanent,
    ).toBe(true);
  });

  it('retries connection, TLS and timeout errors, not a message nodemailer could not build', () => {
    expect(classifySmtpFailure({ code: 'ESOCKET', message: 'connect ECONNREFUSED' }).permanent).toBe(false);
    expect(classifySmtpFailure({ code: 'ETIMEDOUT', message: 'Timeout' }).permanent).toBe(false);
    expect(classifySmtpFailure({ code: 'ETLS', message: 'STARTTLS required' }).permanent).toBe(false);
    expect(classifySmtpFailure({ code: 'EMESSAGE', message: 'bad' }).permanent).toBe(true);
    expect(classifySmtpFailure(new Error('strange')).permanent).toBe(false);
  });
});
