import { SogomsError } from '@sogoms/common';
import type { SqlValue } from '@sogoms/ipc';
import {
  loginFieldStorageOf,
  quoteIdentifier,
  type LoginFieldApp,
  type LoginFieldStorage,
  type SchemaDef,
} from '@sogoms/schema';

/**
 * The login column of an app's users table as the users page reads, searches and writes it:
 * as it is, or, when schema.yaml encrypts it (prokov's users.email), shown decrypted, found by
 * its blind index (so only the whole login finds it) and written as envelope and index.
 */
export interface AppLoginColumn {
  encrypted: boolean;
  /** The WHERE condition of a search for `text` (a part of the login; the whole one when encrypted). */
  search(text: string): { sql: string; params: SqlValue[] };
  /** The login to show for a stored value (an envelope that does not open says so). */
  shown(stored: unknown): string;
  /** Columns (quoted) and values that store `login`. */
  written(login: string): { columns: string[]; values: SqlValue[] };
}

const searchOf = (storage: LoginFieldStorage, text: string): { sql: string; params: SqlValue[] } =>
  storage.encrypted
    ? { sql: `${quoteIdentifier(storage.lookupColumn)} = ?`, params: [storage.lookupValue(text)] }
    : {
        sql: `${quoteIdentifier(storage.lookupColumn)} LIKE ?`,
        params: [`%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
      };

const shownOf = (storage: LoginFieldStorage, stored: unknown): string => {
  if (typeof stored === 'number' || typeof stored === 'bigint') return String(stored);
  if (typeof stored !== 'string') return '';
  try {
    return storage.open(stored);
  } catch {
    return '(does not decrypt)';
  }
};

export const appLoginColumnOf = (app: LoginFieldApp, schema: SchemaDef | null): AppLoginColumn => {
  let storage: LoginFieldStorage;
  try {
    storage = loginFieldStorageOf(app, schema);
  } catch (error) {
    throw new SogomsError(
      'UNAVAILABLE',
      `The users of app '${app.name}' cannot be read: ${(error as Error).message}`,
    );
  }
  return {
    encrypted: storage.encrypted,
    search: (text) => searchOf(storage, text),
    shown: (stored) => shownOf(storage, stored),
    written: (login) => ({ columns: storage.columns.map(quoteIdentifier), values: storage.values(login) }),
  };
};
