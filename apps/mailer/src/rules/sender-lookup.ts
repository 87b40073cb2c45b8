import { join } from 'node:path';
import type { AppConfig } from '@sogoms/config';
import { CRYPT_KEYS_FILE, blindIndex, readKeyringFile } from '@sogoms/crypt';
import { blindIndexColumn, blindIndexNormalisation, type SchemaDef } from '@sogoms/schema';

/**
 * How `owner: sender` finds the user whose login is the sender's address: the login column as
 * it is (compared in lower case), or, when schema.yaml encrypts the login, its blind index (the
 * gateway's login lookup, docs/crypt.md): prokov's users.email is such a field.
 */
export interface SenderLookup {
  column: string;
  /** True: compare LOWER(column) with the value; false: the value is the exact blind index. */
  lowerCase: boolean;
  valueOf(address: string): string;
}

/** The lookup of an app, or the reason there can be none (for the loader's report). */
export const senderLookupOf = (app: AppConfig, schema: SchemaDef): SenderLookup | { problem: string } => {
  const { usersTable, loginField } = app.auth;
  const field = schema.tables.find((t) => t.name === usersTable)?.fields.find((f) => f.name === loginField);
  // An encrypted login is always searchable: schema.yaml is refused otherwise.
  if (field?.encrypted !== true)
    return { column: loginField, lowerCase: true, valueOf: (address) => address.toLowerCase() };
  let indexKey: Buffer;
  try {
    indexKey = readKeyringFile(join(app.dir, CRYPT_KEYS_FILE), app.name).indexKey;
  } catch (error) {
    return { problem: `${usersTable}.${loginField} is encrypted: ${(error as Error).message}` };
  }
  const context = { app: app.name, table: usersTable, field: loginField };
  const how = blindIndexNormalisation(field);
  return {
    column: blindIndexColumn(loginField),
    lowerCase: false,
    valueOf: (address) => blindIndex(indexKey, address, context, how),
  };
};
