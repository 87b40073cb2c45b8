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
  passwordField: string;
  roleField: string | null;
}

/** Column that takes the optional `name` given at register. */
const NAME_FIELD = 'name';

export const buildUsersSql = (auth: AuthConfig, dialect: SqlDialect): UsersSql => {
  const table = quoteIdentifier(auth.usersTable);
  const id = quoteIdentifier(auth.idField);
  const login = quoteIdentifier(auth.loginField);
  const password = quoteIdentifier(auth.passwordField);
  const name = quoteIdentifier(NAME_FIELD);
  return {
    byLogin: `SELECT * FROM ${table} WHERE ${login} = ? LIMIT 1`,
    byId: `SELECT * FROM ${table} WHERE ${id} = ? LIMIT 1`,
    insert: `INSERT INTO ${table} (${login}, ${password}) VALUES (?, ?)`,
    insertWithName: `INSERT INTO ${table} (${login}, ${password}, ${name}) VALUES (?, ?, ?)`,
    justInserted: `SELECT * FROM ${table} WHERE ${id} = ${dialect.lastInsertId}`,
    passwordField: auth.passwordField,
    roleField: auth.roleField,
  };
};

declare module '../runtime/app-runtime.js' {
  interface AppRuntime {
    /** The users table's statements for login, register and me. */
    usersSql: UsersSql;
  }
}
