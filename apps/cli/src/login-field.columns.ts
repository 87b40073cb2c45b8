import { dirname } from 'node:path';
import type { AppConfig } from '@sogoms/config';
import { loadSchemaFile, loginFieldStorageOf, type LoginFieldStorage } from '@sogoms/schema';
import { CliFailure } from './cli-context.js';

/** How the `user` commands find and write the login field (as the gateway does: docs/crypt.md). */
export type LoginColumns = Pick<LoginFieldStorage, 'lookupColumn' | 'lookupValue' | 'columns' | 'values'>;

export const loginColumnsOf = (configRoot: string, app: AppConfig): LoginColumns => {
  const schema = loadSchemaFile(app.dir, dirname(configRoot));
  try {
    return loginFieldStorageOf(app, schema);
  } catch (error) {
    // The keys file missing or wrong, or an encrypted login that is not searchable.
    throw new CliFailure((error as Error).message);
  }
};
