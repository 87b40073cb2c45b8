import bcrypt from 'bcrypt';

const COST = 10;

/**
 * bcrypt hashing. `verify` against a missing user still spends one comparison, so an unknown
 * email and a wrong password take about as long (no user enumeration by timing).
 */
export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, COST);
  }

  async verify(password: string, hash: string | null | undefined): Promise<boolean> {
    if (typeof hash !== 'string' || hash === '') {
      this.dummyHash ??= bcrypt.hash('sogoms-dummy-password', COST);
      await bcrypt.compare(password, await this.dummyHash);
      return false;
    }
    try {
      return await bcrypt.compare(password, hash);
    } catch {
      // A value that is no bcrypt hash never matches.
      return false;
    }
  }
}
