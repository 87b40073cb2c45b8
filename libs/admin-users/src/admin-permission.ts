import { SogomsError } from '@sogoms/common';
import { ADMIN_AREAS, ADMIN_LEVELS, type AdminArea, type AdminLevel, type AdminUser } from './admin-user.js';

/** One parsed permission: `schema:read` → `{ area: 'schema', level: 'read' }`; `*` stands for all. */
export interface AdminPermission {
  /** `*` for a bare `read` or `write`: every area. */
  area: AdminArea | '*';
  /** `*` for `area:*`: read and write. */
  level: AdminLevel | '*';
}

/** What an app_admin gets when none are given: everything on its apps. */
export const DEFAULT_APP_ADMIN_PERMISSIONS: readonly string[] = ['read', 'write'];

const FORMS = `{area}:{level} with area ${ADMIN_AREAS.join(', ')} and level read, write or *; or a bare read or write (every area)`;

const isArea = (text: string): text is AdminArea => (ADMIN_AREAS as readonly string[]).includes(text);
const isLevel = (text: string): text is AdminLevel => (ADMIN_LEVELS as readonly string[]).includes(text);

/** Reads `schema:read`, `cron:*`, `read`, `write`; anything else is VALIDATION_FAILED naming the entry. */
export const parsePermission = (text: string): AdminPermission => {
  if (isLevel(text)) return { area: '*', level: text };
  const [area, level, ...rest] = text.split(':');
  if (rest.length === 0 && level !== undefined && isArea(area) && (level === '*' || isLevel(level)))
    return { area, level };
  throw new SogomsError('VALIDATION_FAILED', `bad permission ${JSON.stringify(text)}: expected ${FORMS}`, {
    permission: text,
  });
};

const grants = (permission: AdminPermission, area: AdminArea, level: AdminLevel): boolean =>
  (permission.area === '*' || permission.area === area) &&
  (permission.level === '*' || permission.level === level || permission.level === 'write');

/** A super_admin opens every app, an app_admin its assigned ones; a disabled user none. */
export const canAccessApp = (user: AdminUser, app: string): boolean =>
  !user.disabled && (user.role === 'super_admin' || user.apps.includes(app));

/** Whether `user` may do `level` on `area` of `app` (`write` implies `read`). */
export const hasPermission = (user: AdminUser, app: string, area: AdminArea, level: AdminLevel): boolean =>
  canAccessApp(user, app) &&
  (user.role === 'super_admin' ||
    user.permissions.some((text) => grants(parsePermission(text), area, level)));
