import { createHash } from 'node:crypto';
import { DEFAULT_ROLE } from '@sogoms/auth';
import { SogomsError } from '@sogoms/common';
import type { Row } from '@sogoms/ipc';
import type { AppRuntime } from '../runtime/app-runtime.js';

/** The user as the API shows it: never the password hash. */
export type PublicUser = Record<string, unknown>;

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const publicUser = (app: AppRuntime, row: Row): PublicUser => {
  const { [app.usersSql.passwordField]: _hash, ...user } = row;
  return user;
};

export const idOf = (app: AppRuntime, row: Row): string | number => {
  const id = row[app.config.auth.idField];
  if (typeof id !== 'number' && typeof id !== 'string')
    throw new SogomsError('INTERNAL', 'User row has no id');
  return id;
};

export const roleOf = (app: AppRuntime, row: Row): string => {
  const field = app.usersSql.roleField;
  const role = field === null ? undefined : row[field];
  return typeof role === 'string' && role !== '' ? role : DEFAULT_ROLE;
};

export const loginOf = (app: AppRuntime, row: Row): string => String(row[app.config.auth.loginField]);

export const passwordHashOf = (app: AppRuntime, row: Row): string | null => {
  const hash = row[app.usersSql.passwordField];
  return typeof hash === 'string' ? hash : null;
};

/** `auth.disabled_field` holds a truthy value (1, true, a date): the account may not log in or refresh. */
export const isDisabled = (app: AppRuntime, row: Row): boolean => {
  const field = app.usersSql.disabledField;
  if (field === null) return false;
  const value = row[field];
  return !(
    value === null ||
    value === undefined ||
    value === 0 ||
    value === '0' ||
    value === false ||
    value === ''
  );
};

export const isVerified = (app: AppRuntime, row: Row): boolean => {
  const value = row[app.usersSql.verifiedField];
  return value !== null && value !== undefined;
};

/**
 * A fingerprint of the stored password hash, kept with each refresh token: a password changed
 * by any means (reset, change, `sogoms user`, SQL) makes every older refresh token fail.
 */
export const passwordMarkOf = (app: AppRuntime, row: Row): string =>
  createHash('sha256')
    .update(passwordHashOf(app, row) ?? '')
    .digest('hex')
    .slice(0, 16);

/** A time for a DATETIME column in UTC, as both engines take it bound. */
export const sqlDateTime = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
