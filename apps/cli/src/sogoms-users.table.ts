import { quoteIdentifier } from '@sogoms/schema';
import type { UsersTableAuth } from './users-table.detector.js';

/**
 * The users table `sogoms app create` adds to a database that has none, so register, login and
 * `sogoms user create` work at once. Its columns are the defaults of `auth:` in app.yaml.
 */
export const SOGOMS_USERS_TABLE = 'sogoms_users';

export const SOGOMS_USERS_AUTH: UsersTableAuth = {
  usersTable: SOGOMS_USERS_TABLE,
  idField: 'id',
  loginField: 'email',
  passwordField: 'password_hash',
  roleField: 'role',
};

/** varchar(190) keeps the unique email index within 767 bytes in utf8mb4. */
export const CREATE_SOGOMS_USERS_SQL = `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(SOGOMS_USERS_TABLE)} (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  email VARCHAR(190) NOT NULL,
  password_hash VARCHAR(100) NOT NULL,
  name VARCHAR(100) NULL,
  role ENUM('default','admin') NOT NULL DEFAULT 'default',
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uq_sogoms_users_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;

/** The role column `app create --add-role-column` adds to a detected users table without one. */
export const ROLE_COLUMN = 'role';
export const addRoleColumnSql = (table: string): string =>
  `ALTER TABLE ${quoteIdentifier(table)} ADD COLUMN ${quoteIdentifier(ROLE_COLUMN)} ENUM('default','admin') NOT NULL DEFAULT 'default'`;
