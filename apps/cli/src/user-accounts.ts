import type { AuthConfig } from '@sogoms/config';
import { quoteIdentifier } from '@sogoms/schema';
import type { LoginColumns } from './login-field.columns.js';
import { CliFailure } from './cli-context.js';
import type { AppDatabase } from './database-connection.js';

export interface NewUser {
  email: string;
  passwordHash: string;
  name?: string;
  /** Written only when the app has a role column. */
  role: string;
}

export interface UserRecord {
  id: unknown;
  role: string | null;
}

/** Column that takes the optional name, as at register (apps/gateway/src/auth/users-sql.ts). */
const NAME_FIELD = 'name';

const driverCode = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

/**
 * The users table of one app, as `auth:` in app.yaml names it: the data access of the `user`
 * commands. Identifiers come from the validated config; every value is bound.
 */
export class UserAccounts {
  private readonly table: string;

  constructor(
    private readonly db: AppDatabase,
    private readonly app: string,
    private readonly auth: AuthConfig,
    private readonly login: LoginColumns = {
      lookupColumn: auth.loginField,
      lookupValue: (email) => email,
      columns: [auth.loginField],
      values: (email) => [email],
    },
  ) {
    this.table = quoteIdentifier(auth.usersTable);
  }

  /** Whether the users table exists and has `column`. */
  async hasColumn(column: string): Promise<boolean> {
    const rows =
      this.db.engine === 'sqlite'
        ? await this.db.query('SELECT 1 FROM pragma_table_info(?) WHERE name = ?', [
            this.auth.usersTable,
            column,
          ])
        : await this.db.query(
            'SELECT 1 FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?',
            [this.db.name, this.auth.usersTable, column],
          );
    return rows.length > 0;
  }

  async findByLogin(email: string): Promise<UserRecord | undefined> {
    const role = this.auth.roleField === null ? 'NULL' : quoteIdentifier(this.auth.roleField);
    const rows = await this.guard(() =>
      this.db.query(
        `SELECT ${quoteIdentifier(this.auth.idField)} AS id, ${role} AS role FROM ${this.table} WHERE ${quoteIdentifier(this.login.lookupColumn)} = ? LIMIT 1`,
        [this.login.lookupValue(email)],
      ),
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    return { id: row.id, role: typeof row.role === 'string' ? row.role : null };
  }

  /** Inserts the user; the id it got. A taken email is a CliFailure. */
  async create(user: NewUser): Promise<number> {
    const columns = [...this.login.columns, this.auth.passwordField];
    const values: unknown[] = [...this.login.values(user.email), user.passwordHash];
    if (user.name !== undefined) {
      columns.push(NAME_FIELD);
      values.push(user.name);
    }
    if (this.auth.roleField !== null) {
      columns.push(this.auth.roleField);
      values.push(user.role);
    }
    const sql = `INSERT INTO ${this.table} (${columns.map(quoteIdentifier).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    const result = await this.guard(() => this.db.execute(sql, values), user.email);
    return result.insertId;
  }

  /** Sets the role of the user with this login; false when there is no such user. */
  async setRole(email: string, role: string): Promise<boolean> {
    if (this.auth.roleField === null) throw new CliFailure(noRoleColumn(this.app, this.auth.usersTable));
    if ((await this.findByLogin(email)) === undefined) return false;
    await this.guard(() =>
      this.db.execute(
        `UPDATE ${this.table} SET ${quoteIdentifier(this.auth.roleField!)} = ? WHERE ${quoteIdentifier(this.login.lookupColumn)} = ?`,
        [role, this.login.lookupValue(email)],
      ),
    );
    return true;
  }

  /** Driver errors as one line that names the app and table, never the SQL. */
  private async guard<T>(run: () => Promise<T>, email?: string): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const code = driverCode(error);
      const where = `users table '${this.auth.usersTable}' of app '${this.app}'`;
      switch (code ?? '') {
        case 'ER_DUP_ENTRY':
        case 'SQLITE_CONSTRAINT_UNIQUE':
          throw new CliFailure(
            `a user with email ${email ?? '(this login)'} already exists in app '${this.app}'`,
          );
        case 'ER_NO_SUCH_TABLE':
          throw new CliFailure(`the ${where} does not exist in database '${this.db.name}'`);
        case 'ER_BAD_FIELD_ERROR':
          throw new CliFailure(
            `the ${where} lacks a column named in app.yaml auth: (id, login, password or role field)`,
          );
        case 'WARN_DATA_TRUNCATED':
        case 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD':
        case 'ER_DATA_TOO_LONG':
        case 'SQLITE_CONSTRAINT_CHECK':
          throw new CliFailure(
            `the ${where} refused a value (too long, or a role its column does not allow)`,
          );
        default:
          throw new CliFailure(`the ${where} could not be written (${code ?? 'unknown error'})`);
      }
    }
  }
}

export const noRoleColumn = (app: string, table: string): string =>
  `app '${app}' has no role column (auth.role_field is null in app.yaml): every user of '${table}' is 'default'. ` +
  `Add a role column (ENUM('default','admin') NOT NULL DEFAULT 'default') and set auth.role_field, or use --role default`;
