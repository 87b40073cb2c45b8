import isEmailModule from 'validator/lib/isEmail.js';
import isLengthModule from 'validator/lib/isLength.js';

/** One check of a body field, with the message a caller sees when it fails. */
export interface FieldCheck {
  test(value: unknown): boolean;
  message(property: string): string;
}

// The checks and messages are class-validator's (which the gateway used before): validator's own
// functions underneath, without loading class-validator, class-transformer and every validator
// (about 1 MB of source, 5 MB of the gateway's RSS; docs/api.md).

// validator's files are CommonJS whose typings declare only `default` (also set at run time).
const isEmailAddress = isEmailModule.default;
const isLength = isLengthModule.default;

export const isString = (): FieldCheck => ({
  test: (value) => typeof value === 'string',
  message: (property) => `${property} must be a string`,
});

/** Length in characters: a surrogate pair counts once (validator's isLength). */
export const minLength = (min: number): FieldCheck => ({
  test: (value) => typeof value === 'string' && isLength(value, { min }),
  message: (property) => `${property} must be longer than or equal to ${min} characters`,
});

export const maxLength = (max: number): FieldCheck => ({
  test: (value) => typeof value === 'string' && isLength(value, { min: 0, max }),
  message: (property) => `${property} must be shorter than or equal to ${max} characters`,
});

export const isEmail = (): FieldCheck => ({
  test: (value) => typeof value === 'string' && isEmailAddress(value),
  message: (property) => `${property} must be an email address`,
});

/** A value of a fixed pattern (an opaque token): anything else is refused before any lookup. */
export const matches = (pattern: RegExp, what: string): FieldCheck => ({
  test: (value) => typeof value === 'string' && pattern.test(value),
  message: (property) => `${property} must be ${what}`,
});
