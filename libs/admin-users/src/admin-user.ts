/** The two kinds of admin: `super_admin` may do everything, `app_admin` only on its assigned apps. */
export const ADMIN_ROLES = ['super_admin', 'app_admin'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** What an app_admin's permission covers (`users` are the app's own users, not admins). */
export const ADMIN_AREAS = ['schema', 'queries', 'emails', 'cron', 'logs', 'db', 'users'] as const;
export type AdminArea = (typeof ADMIN_AREAS)[number];

/** `write` implies `read`. */
export const ADMIN_LEVELS = ['read', 'write'] as const;
export type AdminLevel = (typeof ADMIN_LEVELS)[number];

/** An admin user as the admin UI and the CLI see it: never the password hash or the TOTP secret. */
export interface AdminUser {
  username: string;
  role: AdminRole;
  /** An app_admin's assigned apps; empty for a super_admin (who has every app). */
  apps: string[];
  /** An app_admin's permissions (`schema:read`, `cron:*`, `write`…); empty for a super_admin. */
  permissions: string[];
  totpEnabled: boolean;
  disabled: boolean;
  /** ISO time of the last password change (the admin UI ends older sessions); null before the first. */
  passwordChangedAt: string | null;
}

/** `[a-z0-9_.-]{2,64}`: a login typed by hand, safe in a file, a log line and a URL. */
export const ADMIN_USERNAME = /^[a-z0-9_.-]{2,64}$/;
