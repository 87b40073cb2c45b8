import { SogomsError } from '@sogoms/common';
import { describe, expect, it } from 'vitest';
import { validatedBody } from '../http/validated-body.js';
import { LOGIN_BODY, REGISTER_BODY } from './credentials.dto.js';

/** The error details of a refused body (the messages are what class-validator said before). */
const problems = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SogomsError);
    expect((error as SogomsError).code).toBe('VALIDATION_FAILED');
    return (error as SogomsError).details;
  }
  throw new Error('the body was accepted');
};

describe('login and register bodies', () => {
  it('accepts a login and returns its fields', () => {
    expect(validatedBody(LOGIN_BODY, { email: 'a@b.co', password: 'x' })).toEqual({
      email: 'a@b.co',
      password: 'x',
    });
  });

  it('lists unknown fields first, then each field with every failed check', () => {
    expect(problems(() => validatedBody(LOGIN_BODY, { password: 5, foo: 1 }))).toEqual({
      foo: ['property foo should not exist'],
      email: [
        'email must be longer than or equal to 1 characters',
        'email must be shorter than or equal to 255 characters',
        'email must be a string',
      ],
      password: [
        'password must be shorter than or equal to 1024 characters',
        'password must be longer than or equal to 1 characters',
        'password must be a string',
      ],
    });
  });

  it('counts characters, a surrogate pair as one', () => {
    expect(validatedBody(LOGIN_BODY, { email: '😀'.repeat(255), password: 'x' }).email).toHaveLength(510);
    expect(problems(() => validatedBody(LOGIN_BODY, { email: 'x'.repeat(256), password: 'x' }))).toEqual({
      email: ['email must be shorter than or equal to 255 characters'],
    });
  });

  it('register: an email address, an optional name (null counts as absent)', () => {
    expect(
      validatedBody(REGISTER_BODY, { email: 'a+tag@sub.example.org', password: 'p', name: null }),
    ).toEqual({
      email: 'a+tag@sub.example.org',
      password: 'p',
      name: null,
    });
    expect(validatedBody(REGISTER_BODY, { email: 'a@b.co', password: 'p' })).toEqual({
      email: 'a@b.co',
      password: 'p',
    });
    expect(
      problems(() => validatedBody(REGISTER_BODY, { email: 'user@localhost', password: 1, name: '' })),
    ).toEqual({
      email: ['email must be an email address'],
      password: ['password must be a string'],
      name: ['name must be longer than or equal to 1 characters'],
    });
    expect(problems(() => validatedBody(REGISTER_BODY, { email: 'a@b.co', password: 'p', name: 7 }))).toEqual(
      {
        name: [
          'name must be shorter than or equal to 255 characters',
          'name must be longer than or equal to 1 characters',
          'name must be a string',
        ],
      },
    );
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, [], 'text', 5]) {
      expect(() => validatedBody(LOGIN_BODY, body)).toThrow('Request body must be a JSON object');
    }
  });
});
