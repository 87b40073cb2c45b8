import {
  bool,
  describeValue,
  INVALID,
  list,
  object,
  oneOf,
  optionalSection,
  text,
  type Schema,
} from '@sogoms/config';
import { SogomsError } from '@sogoms/common';
import { parsePermission } from './admin-permission.js';
import { ADMIN_ROLES, ADMIN_USERNAME, type AdminRole } from './admin-user.js';

/** One entry of admin_users.yaml as stored (the hash and the secret never leave this lib). */
export interface AdminUserRecord {
  username: string;
  passwordHash: string;
  role: AdminRole;
  apps: string[];
  permissions: string[];
  totpSecret: string | null;
  disabled: boolean;
  passwordChangedAt: string | null;
}

/** The app names of app.yaml (`name:`); whether one is configured is the caller's check. */
export const APP_NAME = /^[a-z][a-z0-9_-]*$/;
export const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
export const BASE32_SECRET = /^[A-Z2-7]{16,}=*$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * The config lib's scalars also read `<key>_env` and `<key>_file`; this file is written by the
 * CLI and the admin UI only, so its values come from the file itself.
 */
const inline = <T>(schema: Schema<T>): Schema<T> => ({
  expected: schema.expected,
  read: (value, path, ctx) => schema.read(value, path, ctx),
});

const PERMISSION_EXPECTED = 'a permission such as schema:read, cron:*, read or write';
const permission: Schema<string> = {
  expected: PERMISSION_EXPECTED,
  read(value, path, ctx) {
    if (typeof value !== 'string') {
      ctx.report(path, PERMISSION_EXPECTED, describeValue(value));
      return INVALID;
    }
    try {
      parsePermission(value);
      return value;
    } catch (error) {
      if (!(error instanceof SogomsError)) throw error;
      ctx.report(path, PERMISSION_EXPECTED, describeValue(value));
      return INVALID;
    }
  },
};

const userSchema = object(
  {
    username: inline(text({ pattern: ADMIN_USERNAME, format: 'a username matching [a-z0-9_.-]{2,64}' })),
    password_hash: inline(text({ pattern: BCRYPT_HASH, format: 'a bcrypt hash ($2b$12$…)', secret: true })),
    role: inline(oneOf(ADMIN_ROLES)),
    apps: list(inline(text({ pattern: APP_NAME, format: 'an app name' })), { default: [], unique: true }),
    // null when absent: an app_admin then gets the default permissions.
    permissions: optionalSection(list(permission, { min: 1, unique: true })),
    totp_secret: optionalSection(
      inline(text({ pattern: BASE32_SECRET, format: 'a base32 TOTP secret, or null', secret: true })),
    ),
    disabled: inline(bool({ default: false })),
    password_changed_at: optionalSection(
      inline(text({ pattern: ISO_TIME, format: "an ISO time in UTC such as '2026-12-03T10:00:00.000Z'" })),
    ),
  },
  (user, report) => {
    if (user.role === 'app_admin' && user.apps.length === 0)
      report(['apps'], 'at least one app for an app_admin', 'none');
    if (user.role === 'super_admin' && user.apps.length > 0)
      report(
        ['apps'],
        'nothing for a super_admin (it has every app; make it app_admin to restrict)',
        'a list',
      );
    if (user.role === 'super_admin' && user.permissions !== null)
      report(['permissions'], 'nothing for a super_admin (it may do everything)', 'a list');
  },
);

/** admin_users.yaml: `users:`, each username once. */
export const adminUsersSchema = object({ users: list(userSchema, { default: [] }) }, (file, report) => {
  const seen = new Set<string>();
  file.users.forEach((user, i) => {
    if (seen.has(user.username))
      report(['users', i, 'username'], 'each username once', `a repeat of ${JSON.stringify(user.username)}`);
    seen.add(user.username);
  });
});
