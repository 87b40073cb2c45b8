import { join } from 'node:path';
import { CRYPT_KEYS_FILE, FieldCipher, blindIndex, readKeyringFile, type FieldContext } from '@sogoms/crypt';
import type { SchemaDef } from '../schema.types.js';
import { blindIndexColumn, blindIndexNormalisation } from './encrypted-storage.js';

/** What of an app its login field's storage depends on (app.yaml's auth section, its folder). */
export interface LoginFieldApp {
  name: string;
  dir: string;
  auth: { usersTable: string; loginField: string };
}

/**
 * How a tool outside the gateway (the CLI's `user` commands, the admin's users page) finds,
 * writes and shows an app's login: as it is, or, when schema.yaml marks it `encrypted: true`,
 * the way the gateway does (docs/crypt.md): looked up by its blind index, written as envelope
 * and index, shown decrypted.
 */
export interface LoginFieldStorage {
  encrypted: boolean;
  /** The column an exact lookup compares, and the value it compares with for a login. */
  lookupColumn: string;
  lookupValue(login: string): string;
  /** The columns that store a login, and their values. */
  columns: string[];
  values(login: string): string[];
  /** The login of a stored value (throws DecryptionError for an envelope that does not open). */
  open(stored: string): string;
}

/**
 * The login field's storage of `app`. Throws KeyringFileError when the field is encrypted and
 * the keys file is missing or wrong, and an Error when it is encrypted but not searchable
 * (schema.yaml is refused at load then, so only a file edited since can get here).
 */
export const loginFieldStorageOf = (app: LoginFieldApp, schema: SchemaDef | null): LoginFieldStorage => {
  const { usersTable, loginField } = app.auth;
  const field = schema?.tables.find((t) => t.name === usersTable)?.fields.find((f) => f.name === loginField);
  if (field?.encrypted !== true)
    return {
      encrypted: false,
      lookupColumn: loginField,
      lookupValue: (login) => login,
      columns: [loginField],
      values: (login) => [login],
      open: (stored) => stored,
    };
  if (field.searchable !== true)
    throw new Error(`${usersTable}.${loginField} is encrypted but not searchable: a login cannot be found`);
  const ring = readKeyringFile(join(app.dir, CRYPT_KEYS_FILE), app.name);
  const cipher = new FieldCipher(ring);
  const context: FieldContext = { app: app.name, table: usersTable, field: loginField };
  const how = blindIndexNormalisation(field);
  const index = (login: string): string => blindIndex(ring.indexKey, login, context, how);
  return {
    encrypted: true,
    lookupColumn: blindIndexColumn(loginField),
    lookupValue: index,
    columns: [loginField, blindIndexColumn(loginField)],
    values: (login) => [cipher.encrypt(login, context), index(login)],
    open: (stored) => cipher.decrypt(stored, context),
  };
};
