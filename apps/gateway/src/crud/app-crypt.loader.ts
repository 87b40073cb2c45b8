import { join, relative } from 'node:path';
import { ConfigError, type AppConfig } from '@sogoms/config';
import { CRYPT_KEYS_FILE, KeyringFileError, readKeyringFile } from '@sogoms/crypt';
import type { SchemaDef } from '@sogoms/schema';
import { appCryptOf, type AppCrypt } from './field-encryption.js';

/** Whether any field of the schema is `encrypted: true`. */
export const hasEncryptedFields = (schema: SchemaDef | null): boolean =>
  schema?.tables.some((t) => t.fields.some((f) => f.encrypted === true)) ?? false;

/**
 * The app's keys, read once per snapshot (start and reload) when its schema encrypts a field,
 * after the start-up check (each key decrypts its check value: readKeyringFile). A missing,
 * unreadable or wrong keys file is a ConfigError naming the file and the fix, never a key: the
 * start stops, a reload keeps the live snapshot.
 */
export const loadAppCrypt = (
  config: AppConfig,
  schema: SchemaDef | null,
  displayRoot: string,
): AppCrypt | null => {
  if (!hasEncryptedFields(schema)) return null;
  const file = join(config.dir, CRYPT_KEYS_FILE);
  try {
    return appCryptOf(config.name, readKeyringFile(file, config.name));
  } catch (error) {
    if (!(error instanceof KeyringFileError)) throw error;
    throw new ConfigError([
      {
        file: relative(displayRoot, file),
        key: '(keys)',
        expected: `the field-encryption keys of app ${config.name} (schema.yaml encrypts fields; sogoms secrets generate ${config.name} makes them once)`,
        got: error.message.slice(file.length + 2),
      },
    ]);
  }
};

declare module '../runtime/app-runtime.js' {
  interface AppRuntime {
    /** The app's field-encryption keys, when its schema encrypts a field (else null). */
    crypt: AppCrypt | null;
  }
}
