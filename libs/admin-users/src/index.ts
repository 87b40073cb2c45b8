export {
  ADMIN_AREAS,
  ADMIN_LEVELS,
  ADMIN_ROLES,
  ADMIN_USERNAME,
  type AdminArea,
  type AdminLevel,
  type AdminRole,
  type AdminUser,
} from './admin-user.js';
export {
  canAccessApp,
  DEFAULT_APP_ADMIN_PERMISSIONS,
  hasPermission,
  parsePermission,
  type AdminPermission,
} from './admin-permission.js';
export { ADMIN_BCRYPT_COST, ADMIN_PASSWORD_MIN_LENGTH } from './admin-password.js';
export {
  AdminUsersFile,
  adminUsersPath,
  type AdminUserInput,
  type AdminUsersFileOptions,
} from './admin-users.file.js';
