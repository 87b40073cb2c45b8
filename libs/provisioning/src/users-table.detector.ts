import type { FieldDef, SchemaDef, TableDef } from '@sogoms/schema';

/** The `auth:` columns of app.yaml (libs/config/src/app-config.schema.ts), as found in a database. */
export interface UsersTableAuth {
  usersTable: string;
  idField: string;
  loginField: string;
  passwordField: string;
  /** Null: the table has no role column, so every user is `default`. */
  roleField: string | null;
}

/** Why a table cannot be the users table, or the columns it would use. */
export type UsersTableFit = { ok: true; auth: UsersTableAuth } | { ok: false; reasons: string[] };

/**
 * Column names tried in order (case-insensitive): the same lists as the scanner's, which marks
 * `auth: login` / `auth: password` (libs/schema/src/introspection/schema-from-database.ts).
 */
const LOGIN_NAMES = ['email', 'username', 'login'];
const PASSWORD_NAMES = ['password', 'password_hash', 'passwd'];
const ROLE_NAMES = ['role'];
/** Preferred table names when several tables fit; others follow alphabetically. */
const TABLE_PREFERENCE = ['users', 'user', 'sogoms_users', 'accounts', 'account', 'members'];
/** A bcrypt hash is 60 characters: a shorter column (e.g. Sakila's SHA-1 `staff.password`) cannot hold it. */
const BCRYPT_LENGTH = 60;

const findField = (table: TableDef, names: readonly string[]): FieldDef | undefined => {
  for (const name of names) {
    const field = table.fields.find((f) => f.name.toLowerCase() === name);
    if (field !== undefined) return field;
  }
  return undefined;
};

const isText = (field: FieldDef): boolean => field.type === 'string' || field.type === 'text';

/**
 * Whether `table` can serve register, login and `sogoms user create`: a single-column primary
 * key, a text login column, a text password column that holds a bcrypt hash, and no other
 * column a new user would have to fill in (register writes only login, password and name).
 */
export const usersTableFit = (table: TableDef): UsersTableFit => {
  const reasons: string[] = [];
  if (table.view) reasons.push('it is a view');
  if (table.primary.length !== 1) reasons.push('it has no single-column primary key');
  const login = findField(table, LOGIN_NAMES);
  if (login === undefined || !isText(login)) reasons.push(`no text login column (${LOGIN_NAMES.join(', ')})`);
  const password = findField(table, PASSWORD_NAMES);
  if (password === undefined || !isText(password))
    reasons.push(`no text password column (${PASSWORD_NAMES.join(', ')})`);
  else if (password.type === 'string' && (password.length ?? 0) < BCRYPT_LENGTH)
    reasons.push(
      `its password column ${password.name} holds ${password.length ?? 0} characters, a bcrypt hash needs ${BCRYPT_LENGTH}`,
    );
  const role = findField(table, ROLE_NAMES);
  const filled = new Set([login?.name, password?.name, 'name']);
  const mustFill = table.fields.filter((f) => f.required && !f.auto && !filled.has(f.name));
  if (mustFill.length > 0)
    reasons.push(`a new user would need values for ${mustFill.map((f) => f.name).join(', ')}`);
  if (reasons.length > 0 || login === undefined || password === undefined) return { ok: false, reasons };
  return {
    ok: true,
    auth: {
      usersTable: table.name,
      idField: table.primary[0],
      loginField: login.name,
      passwordField: password.name,
      roleField: role !== undefined && (isText(role) || role.type === 'enum') ? role.name : null,
    },
  };
};

const preference = (name: string): number => {
  const index = TABLE_PREFERENCE.indexOf(name.toLowerCase());
  return index === -1 ? TABLE_PREFERENCE.length : index;
};

/** The users table found in a database, and the other tables that would have fit. */
export interface UsersTableDetection {
  auth: UsersTableAuth;
  others: string[];
}

/**
 * The table that fits best (see usersTableFit): a preferred name first (users, user,
 * sogoms_users, accounts, account, members), then alphabetical. Undefined when none fits.
 */
export const detectUsersTable = (schema: SchemaDef): UsersTableDetection | undefined => {
  const fits = schema.tables
    .map((table) => usersTableFit(table))
    .flatMap((fit) => (fit.ok ? [fit.auth] : []))
    .sort(
      (a, b) =>
        preference(a.usersTable) - preference(b.usersTable) || a.usersTable.localeCompare(b.usersTable),
    );
  if (fits.length === 0) return undefined;
  return { auth: fits[0], others: fits.slice(1).map((auth) => auth.usersTable) };
};
