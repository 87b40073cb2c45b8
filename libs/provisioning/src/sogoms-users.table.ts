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
const CREATE_SOGOMS_USERS_MARIADB = `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(SOGOMS_USERS_TABLE)} (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  email VARCHAR(190) NOT NULL,
  password_hash VARCHAR(100) NOT NULL,
  name VARCHAR(100) NULL,
  role ENUM('default','admin') NOT NULL DEFAULT 'default',
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uq_sogoms_users_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;

/** The same table in SQLite's words: the rowid as key, the enum as a CHECK (as a scan reads them back). */
const CREATE_SOGOMS_USERS_SQLITE = `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(SOGOMS_USERS_TABLE)} (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email VARCHAR(190) NOT NULL,
  password_hash VARCHAR(100) NOT NULL,
  name VARCHAR(100) NULL,
  role VARCHAR(7) NOT NULL DEFAULT 'default' CHECK (role IN ('default','admin')),
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT uq_sogoms_users_email UNIQUE (email)
)`;

export const createSogomsUsersSql = (engine: 'mariadb' | 'sqlite'): string =>
  engine === 'sqlite' ? CREATE_SOGOMS_USERS_SQLITE : CREATE_SOGOMS_USERS_MARIADB;

/** The role column `app create --add-role-column` adds to a detected users table without one. */
export const ROLE_COLUMN = 'role';
export const addRoleColumnSql = (table: string, engine: 'mariadb' | 'sqlite'): string => {
  const role = quoteIdentifier(ROLE_COLUMN);
  const type = engine === 'sqlite' ? `VARCHAR(7)` : `ENUM('default','admin')`;
  const check = engine === 'sqlite' ? ` CHECK (${role} IN ('default','admin'))` : '';
  return `ALTER TABLE ${quoteIdentifier(table)} ADD COLUMN ${role} ${type} NOT NULL DEFAULT 'default'${check}`;
};
