import type { AuthConfig } from '../config.types.js';

/** What app.yaml's `auth:` reads as beyond its table columns when nothing else is given (specs build configs by hand). */
export const AUTH_DEFAULTS: Omit<
  AuthConfig,
  'jwtSecret' | 'jwtExpiresInS' | 'usersTable' | 'idField' | 'loginField' | 'passwordField' | 'roleField'
> = {
  minPasswordLength: null,
  password: {
    minLength: 8,
    minDistinct: 3,
    requireLowercase: false,
    requireUppercase: false,
    requireDigit: false,
    requireSymbol: false,
    rejectCommon: true,
    rejectEmail: true,
  },
  welcomeMail: null,
  refreshTtlS: 30 * 86400,
  disabledField: null,
  resetTtlS: 1800,
  resetMail: 'password-reset',
  resetUrl: null,
  verifyEmail: false,
  verifiedField: 'email_verified_at',
  verifyTtlS: 2 * 86400,
  verifyMail: 'verify-email',
  verifyUrl: null,
  maxFailures: 5,
  ipMaxFailures: 20,
  failureWindowS: 900,
  lockoutS: 60,
  lockoutMaxS: 3600,
  mailPerAddress: 3,
  mailPerIp: 20,
  mailWindowS: 3600,
};
