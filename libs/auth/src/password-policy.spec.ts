import { SogomsError } from '@sogoms/common';
import { describe, expect, it } from 'vitest';
import { checkPassword, DEFAULT_PASSWORD_RULES, passwordProblems } from './password-policy.js';

const rules = (minLength: number, more: Partial<typeof DEFAULT_PASSWORD_RULES> = {}) => ({
  ...DEFAULT_PASSWORD_RULES,
  minLength,
  ...more,
});

describe('password policy', () => {
  it('accepts a long, varied password', () => {
    expect(passwordProblems('correct horse battery', 'a@b.test', rules(8))).toEqual([]);
    expect(() => checkPassword('correct horse battery', 'a@b.test', rules(8))).not.toThrow();
  });

  it('names each broken rule', () => {
    expect(passwordProblems('aaa', 'a@b.test', rules(8))).toEqual([
      'password must be at least 8 characters',
      'password must use at least 3 different characters',
    ]);
    expect(passwordProblems('Password1', 'a@b.test', rules(8))).toEqual(['password is too common']);
    expect(passwordProblems('a@b.test', 'A@B.test', rules(8))).toEqual(['password must not be the email']);
    expect(passwordProblems('é'.repeat(37), 'a@b.test', rules(8))).toContain(
      'password must be at most 72 bytes',
    );
  });

  it('applies the optional character classes, each with its own reason', () => {
    const strict = rules(8, {
      requireLowercase: true,
      requireUppercase: true,
      requireDigit: true,
      requireSymbol: true,
    });
    expect(passwordProblems('ABCDEFGH', 'a@b.test', strict)).toEqual([
      'password must contain a lower-case letter',
      'password must contain a digit',
      'password must contain a symbol (not a letter or digit)',
    ]);
    expect(passwordProblems('Élan-vital-9', 'a@b.test', strict)).toEqual([]);
    expect(passwordProblems('password', 'a@b.test', rules(8, { rejectCommon: false }))).toEqual([]);
  });

  it('throws VALIDATION_FAILED with the reasons under the field', () => {
    try {
      checkPassword('short', 'a@b.test', rules(12), 'new');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SogomsError);
      expect((error as SogomsError).code).toBe('VALIDATION_FAILED');
      expect((error as SogomsError).details).toEqual({
        new: ['password must be at least 12 characters'],
      });
    }
  });
});
