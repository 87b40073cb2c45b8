import { describe, expect, it } from 'vitest';
import { PasswordHasher } from '@sogoms/auth';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hasher.hash('correct horse');
    expect(hash).not.toContain('correct horse');
    await expect(hasher.verify('correct horse', hash)).resolves.toBe(true);
    await expect(hasher.verify('wrong horse', hash)).resolves.toBe(false);
  });

  it('refuses when there is no hash or it is not bcrypt', async () => {
    await expect(hasher.verify('x', null)).resolves.toBe(false);
    await expect(hasher.verify('x', 'plain-text')).resolves.toBe(false);
  });
});
