import bcrypt from 'bcrypt';
import { SogomsError } from '@sogoms/common';

/** Issue 16: admin passwords are hashed with cost 12 (an app's users get 10, see libs/auth). */
export const ADMIN_BCRYPT_COST = 12;
export const ADMIN_PASSWORD_MIN_LENGTH = 10;
/** bcrypt ignores bytes past 72: refuse them rather than let two passwords collide. */
const MAX_BYTES = 72;

/** VALIDATION_FAILED when `password` is shorter than 10 characters or longer than bcrypt reads. */
export const checkAdminPassword = (password: string): void => {
  const length = [...password].length;
  if (length < ADMIN_PASSWORD_MIN_LENGTH)
    throw new SogomsError(
      'VALIDATION_FAILED',
      `password too short: at least ${ADMIN_PASSWORD_MIN_LENGTH} characters, got ${length}`,
    );
  if (Buffer.byteLength(password, 'utf8') > MAX_BYTES)
    throw new SogomsError('VALIDATION_FAILED', `password too long: at most ${MAX_BYTES} bytes`);
};

export const hashAdminPassword = (password: string): Promise<string> =>
  bcrypt.hash(password, ADMIN_BCRYPT_COST);

// Made once per process, at the first unknown username.
let dummyHash: Promise<string> | undefined;

/**
 * Compares `password` with `hash`; without a hash (unknown user) it still spends one comparison
 * of the same cost, so an unknown username and a wrong password take about as long.
 */
export const adminPasswordMatches = async (password: string, hash: string | undefined): Promise<boolean> => {
  if (hash === undefined) {
    dummyHash ??= bcrypt.hash('sogoms-admin-dummy-password', ADMIN_BCRYPT_COST);
    await bcrypt.compare(password, await dummyHash);
    return false;
  }
  try {
    return await bcrypt.compare(password, hash);
  } catch {
    return false;
  }
};
