import type { AuthConfig } from '@sogoms/config';
import type { SqlDialect } from '@sogoms/db/dialect';
import { quoteIdentifier } from '@sogoms/schema';
import { plainLoginField, type LoginFieldCodec } from '../runtime/login-field.js';

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
  /** The login field's values as bound and read (plain, or encrypted and found by its blind index). */
  login: LoginFieldCodec;
}

/** Column that takes the optional `name` given at register. */
const NAME_FIELD = 'name';

export const buildUsersSql = (
  auth: AuthConfig,
  dialect: SqlDialect,
  loginField: LoginFieldCodec = plainLoginField(auth.loginField),
): UsersSql => {
  const table = quoteIdentifier(auth.usersTable);
  const id = quoteIdentifier(auth.idField);
  const lookup = quoteIdentifier(loginField.lookupColumn);
  const login = loginField.columns.map(quoteIdentifier).join(', ');
  const marks = loginField.columns.map(() => '?').join(', ');
  const password = quoteIdentifier(auth.passwordField);
  const name = quoteIdentifier(NAME_FIELD);
  const verified = quoteIdentifier(auth.verifiedField);
  return {
    byLogin: `SELECT * FROM ${table} WHERE ${lookup} = ? LIMIT 1`,
    byId: `SELECT * FROM ${table} WHERE ${id} = ? LIMIT 1`,
    insert: `INSERT INTO ${table} (${login}, ${password}) VALUES (${marks}, ?)`,
    insertWithName: `INSERT INTO ${table} (${login}, ${password}, ${name}) VALUES (${marks}, ?, ?)`,
    justInserted: `SELECT * FROM ${table} WHERE ${id} = ${dialect.lastInsertId}`,
    setPassword: `UPDATE ${table} SET ${password} = ? WHERE ${id} = ?`,
    setPasswordVerified: `UPDATE ${table} SET ${password} = ?, ${verified} = COALESCE(${verified}, ?) WHERE ${id} = ?`,
    markVerified: `UPDATE ${table} SET ${verified} = ? WHERE ${id} = ? AND ${verified} IS NULL`,
    passwordField: auth.passwordField,
    roleField: auth.roleField,
    verifiedField: auth.verifiedField,
    disabledField: auth.disabledField,
    login: loginField,
  };
};

declare module '../runtime/app-runtime.js' {
  interface AppRuntime {
    /** The users table's statements for login, register and me. */
    usersSql: UsersSql;
  }
}
