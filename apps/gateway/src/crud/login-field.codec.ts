import type { AuthConfig } from '@sogoms/config';
import { SogomsError } from '@sogoms/common';
import { plainLoginField, type LoginFieldCodec } from '../runtime/login-field.js';
import type { CompiledApp } from './compiled-app.js';
import { sealValue } from './field-encryption.js';

/** The login field's codec of an app: through the CRUD engine's encryption when the field is encrypted. */
export const loginFieldCodecOf = (crud: CompiledApp, auth: AuthConfig): LoginFieldCodec => {
  const field = crud.tables.get(auth.usersTable)?.fields.get(auth.loginField);
  const encryption = field?.encryption ?? null;
  if (field === undefined || encryption === null) return plainLoginField(auth.loginField);
  const index = field.blindIndex;
  if (index === null || encryption.indexOf === null)
    throw new SogomsError(
      'BAD_REQUEST',
      `${auth.usersTable}.${auth.loginField} is the login and encrypted: it needs searchable: true to be found`,
    );
  const indexOf = encryption.indexOf;
  return {
    lookupColumn: index.name,
    lookupValue: (login) => indexOf(login),
    columns: [field.name, index.name],
    values: (login) => {
      const sealed = sealValue(encryption, login);
      return [sealed.stored, sealed.index];
    },
    readRow: (row) => {
      const { [index.name]: _index, ...rest } = row;
      return { ...rest, [field.name]: field.codec.toJson(row[field.name], row) };
    },
  };
};
