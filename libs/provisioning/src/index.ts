// @sogoms/provisioning: making a new app from an existing database, shared by `sogoms app create` and the admin.
export type { DatabaseUrl, MariaDbUrl, SqliteUrl } from './database-url.js';
export type { ProvisioningDatabase } from './provisioning-database.js';
export { NEW_APP_DEFAULTS, type NewAppRequest, type ProvisionedApp } from './new-app-request.js';
export { MIN_JWT_SECRET_CHARS, validateNewAppRequest } from './new-app-request.validator.js';
export { provisionApp } from './app-provisioner.js';
export { probeDatabase, type ProbeCall } from './database-probe.client.js';
export { writeAppFolder, renderAppYaml, type NewApp, type WrittenApp } from './app-folder.writer.js';
export {
  detectUsersTable,
  usersTableFit,
  type UsersTableAuth,
  type UsersTableDetection,
  type UsersTableFit,
} from './users-table.detector.js';
export {
  SOGOMS_USERS_TABLE,
  SOGOMS_USERS_AUTH,
  ROLE_COLUMN,
  createSogomsUsersSql,
  addRoleColumnSql,
} from './sogoms-users.table.js';
export { ACCOUNT_MAIL_TEMPLATES } from './account-mail-templates.js';
