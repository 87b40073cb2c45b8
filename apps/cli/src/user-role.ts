import { ADMIN_ROLE, DEFAULT_ROLE } from '@sogoms/auth';
import { CliFailure } from './cli-context.js';

/** The roles a token may carry today (libs/auth/src/token-claims.ts). */
export const USER_ROLES: readonly string[] = [DEFAULT_ROLE, ADMIN_ROLE];

export const parseRole = (value: string): string => {
  if (!USER_ROLES.includes(value))
    throw new CliFailure(`--role must be one of ${USER_ROLES.join(', ')} (got ${JSON.stringify(value)})`);
  return value;
};

/** The login as register stores it: trimmed, lower case. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
