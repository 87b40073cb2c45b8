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

/** What is wrong with a password, one reason per broken rule; empty when it is acceptable. */
export const passwordProblems = (password: string, email: string, minLength: number): string[] => {
  const problems: string[] = [];
  if ([...password].length < minLength) problems.push(`password must be at least ${minLength} characters`);
  if (Buffer.byteLength(password) > MAX_BYTES) problems.push(`password must be at most ${MAX_BYTES} bytes`);
  if (COMMON.has(password.toLowerCase())) problems.push('password is too common');
  if (password.toLowerCase() === email.toLowerCase()) problems.push('password must not be the email');
  if (new Set(password).size < 3) problems.push('password must use at least 3 different characters');
  return problems;
};

/**
 * Refuses short, over-long, common and email-equal passwords, with a reason per rule. The same
 * rules for register (gateway) and `sogoms user create` (CLI).
 */
export const checkPassword = (password: string, email: string, minLength: number): void => {
  const problems = passwordProblems(password, email, minLength);
  if (problems.length > 0) {
    throw new SogomsError('VALIDATION_FAILED', 'Invalid request body', { password: problems });
  }
};
