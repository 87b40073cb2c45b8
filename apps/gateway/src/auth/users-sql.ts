import type { AuthConfig } from '@sogoms/config';
import type { SqlDialect } from '@sogoms/db/dialect';
import { quoteIdentifier } from '@sogoms/schema';

/** The users table's SQL for one app, compiled once per config version from `auth:` in app.yaml. */
export interface UsersSql {
  byLogin: string;
  byId: string;
  insert: string;
  insertWithName: string;
  /** Re-reads the row just inserted on the same connection (inside the insert's transaction). */
  justInserted: string;
  /** Sets the password hash of one user (reset, change). */
  setPassword: string;
  /** Sets the password hash and, where unset, the verification time (a reset proves the address). */
  setPasswordVerified: string;
  /** Sets the verification time of a user not verified yet. */
  markVerified: string;
  passwordField: string;
  roleField: string | null;
  verifiedField: string;
  disabledField: string | null;
}

/** Column that takes the optional `name` given at register. */
const NAME_FIELD = 'name';

export const buildUsersSql = (auth: AuthConfig, dialect: SqlDialect): UsersSql => {
  const table = quoteIdentifier(auth.usersTable);
  const id = quoteIdentifier(auth.idField);
  const login = quoteIdentifier(auth.loginField);
  const password = quoteIdentifier(auth.passwordField);
  const name = quoteIdentifier(NAME_FIELD);
  const verified = quoteIdentifier(auth.verifiedField);
  return {
    byLogin: `SELECT * FROM ${table} WHERE ${login} = ? LIMIT 1`,
    byId: `SELECT * FROM ${table} WHERE ${id} = ? LIMIT 1`,
    insert: `INSERT INTO ${table} (${login}, ${password}) VALUES (?, ?)`,
    insertWithName: `INSERT INTO ${table} (${login}, ${password}, ${name}) VALUES (?, ?, ?)`,
    justInserted: `SELECT * FROM ${table} WHERE ${id} = ${dialect.lastInsertId}`,
    setPassword: `UPDATE ${table} SET ${password} = ? WHERE ${id} = ?`,
    setPasswordVerified: `UPDATE ${table} SET ${password} = ?, ${verified} = COALESCE(${verified}, ?) WHERE ${id} = ?`,
    markVerified: `UPDATE ${table} SET ${verified} = ? WHERE ${id} = ? AND ${verified} IS NULL`,
    passwordField: auth.passwordField,
    roleField: auth.roleField,
    verifiedField: auth.verifiedField,
    disabledField: auth.disabledField,
  };
};

declare module '../runtime/app-runtime.js' {
  interface AppRuntime {
    /** The users table's statements for login, register and me. */
    usersSql: UsersSql;
  }
}
