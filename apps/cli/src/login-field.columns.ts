import { dirname } from 'node:path';
import type { AppConfig } from '@sogoms/config';
import { FieldCipher, blindIndex } from '@sogoms/crypt';
import { blindIndexColumn, blindIndexNormalisation, loadSchemaFile } from '@sogoms/schema';
import { CliFailure } from './cli-context.js';
import { keyringOf } from './commands/crypt-migrate.command.js';

/**
 * How the `user` commands find and write the login field: as it is, or, when schema.yaml marks
 * it `encrypted: true` (then it must be searchable), by its blind index and as an envelope, as
 * the gateway does (docs/crypt.md).
 */
export interface LoginColumns {
  lookupColumn: string;
  lookupValue(email: string): string;
  columns: string[];
  values(email: string): string[];
}

export const loginColumnsOf = (configRoot: string, app: AppConfig): LoginColumns => {
  const login = app.auth.loginField;
  const plain: LoginColumns = {
    lookupColumn: login,
    lookupValue: (email) => email,
    columns: [login],
    values: (email) => [email],
  };
  const schema = loadSchemaFile(app.dir, dirname(configRoot));
  const field = schema?.tables
    .find((t) => t.name === app.auth.usersTable)
    ?.fields.find((f) => f.name === login);
  if (field?.encrypted !== true) return plain;
  if (field.searchable !== true)
    throw new CliFailure(
      `${app.auth.usersTable}.${login} is encrypted but not searchable: a login cannot be found`,
    );
  const ring = keyringOf(app.dir, app.name);
  const cipher = new FieldCipher(ring);
  const context = { app: app.name, table: app.auth.usersTable, field: login };
  const index = (email: string): string =>
    blindIndex(ring.indexKey, email, context, blindIndexNormalisation(field));
  return {
    lookupColumn: blindIndexColumn(login),
    lookupValue: index,
    columns: [login, blindIndexColumn(login)],
    values: (email) => [cipher.encrypt(email, context), index(email)],
  };
};
