import { SogomsError } from '@sogoms/common';
import { describe, expect, it } from 'vitest';
import { checkPassword, passwordProblems } from './password-policy.js';

describe('password policy', () => {
  it('accepts a long, varied password', () => {
    expect(passwordProblems('correct horse battery', 'a@b.test', 8)).toEqual([]);
    expect(() => checkPassword('correct horse battery', 'a@b.test', 8)).not.toThrow();
  });

  it('names each broken rule', () => {
    expect(passwordProblems('aaa', 'a@b.test', 8)).toEqual([
      'password must be at least 8 characters',
      'password must use at least 3 different characters',
    ]);
    expect(passwordProblems('Password1', 'a@b.test', 8)).toEqual(['password is too common']);
    expect(passwordProblems('a@b.test', 'A@B.test', 8)).toEqual(['password must not be the email']);
    expect(passwordProblems('é'.repeat(37), 'a@b.test', 8)).toContain('password must be at most 72 bytes');
  });

  it('throws VALIDATION_FAILED with the reasons under `password`', () => {
    try {
      checkPassword('short', 'a@b.test', 12);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SogomsError);
      expect((error as SogomsError).code).toBe('VALIDATION_FAILED');
      expect((error as SogomsError).details).toEqual({
        password: ['password must be at least 12 characters'],
      });
    }
  });
});
