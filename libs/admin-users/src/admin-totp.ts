import { Secret, TOTP } from 'otpauth';

/** The defaults of authenticator apps (RFC 6238): SHA-1, 6 digits, 30 s steps. */
const totpOf = (secret: string, label: string, issuer: string): TOTP =>
  new TOTP({ issuer, label, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });

/** A new 160-bit secret in base32 (RFC 4226's recommended length). */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** `otpauth://totp/ISSUER:label?secret=…`: what a QR code for an authenticator app carries. */
export const totpUri = (secret: string, label: string, issuer: string): string =>
  totpOf(secret, label, issuer).toString();

/** Whether `code` (six digits, spaces ignored) is the one of the step at `timestamp`, or of one step either side. */
export const totpCodeMatches = (secret: string, code: string, timestamp: number): boolean => {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return false;
  return totpOf(secret, 'check', 'check').validate({ token, timestamp, window: 1 }) !== null;
};
