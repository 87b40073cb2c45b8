import type { Row, SqlValue } from '@sogoms/ipc';

/**
 * How auth reads and writes the users table's login field (app.yaml `auth.login_field`), plain
 * or `encrypted: true` + `searchable: true` (crud/login-field.codec.ts): found by its blind
 * index, written as an envelope with its index (the unique rule is the index's), read back
 * decrypted. Auth stays unaware of encryption: it binds what this gives and reads rows through
 * `readRow`.
 */
export interface LoginFieldCodec {
  /** The column a login is found by: the login field, or its blind index. */
  lookupColumn: string;
  lookupValue(login: string): SqlValue;
  /** The columns a register writes for the login, in order (the field, then its blind index). */
  columns: readonly string[];
  values(login: string): SqlValue[];
  /** A users row as selected (`SELECT *`): the login decrypted, the blind index left out. */
  readRow(row: Row): Row;
}

export const plainLoginField = (loginField: string): LoginFieldCodec => ({
  lookupColumn: loginField,
  lookupValue: (login) => login,
  columns: [loginField],
  values: (login) => [login],
  readRow: (row) => row,
});
