import { SogomsError } from '@sogoms/common';

/** bcrypt ignores bytes past 72: refuse them rather than let two passwords collide. */
const MAX_BYTES = 72;
const COMMON = new Set([
  'password',
  'password1',
  '12345678',
  '123456789',
  '1234567890',
  'qwerty123',
  'iloveyou',
  '11111111',
]);

/** app.yaml `auth.password:`, the same rules for register, reset, change and `sogoms user create`. */
export interface PasswordRules {
  /** Characters (code points), default 8. */
  minLength: number;
  /** Different characters, default 3. */
  minDistinct: number;
  requireLowercase: boolean;
  requireUppercase: boolean;
  requireDigit: boolean;
  /** Anything that is not a letter or a digit. */
  requireSymbol: boolean;
  /** Refuse a few very common passwords, default true. */
  rejectCommon: boolean;
  /** Refuse the account's own email, default true. */
  rejectEmail: boolean;
}

export const DEFAULT_PASSWORD_RULES: PasswordRules = {
  minLength: 8,
  minDistinct: 3,
  requireLowercase: false,
  requireUppercase: false,
  requireDigit: false,
  requireSymbol: false,
  rejectCommon: true,
  rejectEmail: true,
};

/** What is wrong with a password, one reason per broken rule; empty when it is acceptable. */
export const passwordProblems = (password: string, email: string, rules: PasswordRules): string[] => {
  const problems: string[] = [];
  if ([...password].length < rules.minLength)
    problems.push(`password must be at least ${rules.minLength} characters`);
  if (Buffer.byteLength(password) > MAX_BYTES) problems.push(`password must be at most ${MAX_BYTES} bytes`);
  if (rules.rejectCommon && COMMON.has(password.toLowerCase())) problems.push('password is too common');
  if (rules.rejectEmail && password.toLowerCase() === email.toLowerCase())
    problems.push('password must not be the email');
  if (new Set(password).size < rules.minDistinct)
    problems.push(`password must use at least ${rules.minDistinct} different characters`);
  if (rules.requireLowercase && !/\p{Ll}/u.test(password))
    problems.push('password must contain a lower-case letter');
  if (rules.requireUppercase && !/\p{Lu}/u.test(password))
    problems.push('password must contain an upper-case letter');
  if (rules.requireDigit && !/\p{Nd}/u.test(password)) problems.push('password must contain a digit');
  if (rules.requireSymbol && !/[^\p{L}\p{Nd}]/u.test(password))
    problems.push('password must contain a symbol (not a letter or digit)');
  return problems;
};

/**
 * Refuses a password that breaks a rule, with a reason per rule under `details[field]`. The
 * same rules for register, reset and change (gateway) and `sogoms user create` (CLI).
 */
export const checkPassword = (
  password: string,
  email: string,
  rules: PasswordRules,
  field = 'password',
): void => {
  const problems = passwordProblems(password, email, rules);
  if (problems.length > 0) {
    throw new SogomsError('VALIDATION_FAILED', 'Invalid request body', { [field]: problems });
  }
};
