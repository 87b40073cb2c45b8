import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the test MariaDB listens; tests create and drop their own databases on it. */
export interface MariaDbServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** The real MariaDB of this machine. */
export const TEST_MARIADB: MariaDbServer = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

export interface LoadSakilaOptions {
  /** Your area, for the database name `sogoms_test_{area}_{random}`. */
  area: string;
  /** Also load the rows (16k rentals and payments, ~1 s). Default true. */
  data?: boolean;
  server?: MariaDbServer;
}

export interface LoadedSakila {
  /** The database holding this copy of Sakila. */
  database: string;
  server: MariaDbServer;
  /** Drops the database; safe to call twice. */
  drop(): Promise<void>;
}

const SAKILA_FILES = ['sakila-schema.sql', 'sakila-data.sql'] as const;

/** The base tables a loaded copy holds (besides 7 views). */
export const SAKILA_TABLES = [
  'actor',
  'address',
  'category',
  'city',
  'country',
  'customer',
  'film',
  'film_actor',
  'film_category',
  'film_text',
  'inventory',
  'language',
  'payment',
  'rental',
  'staff',
  'store',
] as const;

/**
 * The Sakila files: `$SOGOMS_SAKILA_DIR`, else the first `shared/datasets/sakila` beside an
 * ancestor of this file (the project sits next to `shared/`).
 */
export const sakilaDirectory = (): string => {
  const fromEnv = process.env.SOGOMS_SAKILA_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'shared', 'datasets', 'sakila');
    if (existsSync(join(candidate, SAKILA_FILES[0]))) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('Sakila not found: set SOGOMS_SAKILA_DIR to the folder of sakila-*.sql');
    dir = parent;
  }
};

/**
 * The files name their database `sakila` (DROP/CREATE SCHEMA, USE, and `sakila.film` inside the
 * actor_info view). Only those are renamed: `sakila` followed by `;` or `.`, lower case, as a
 * whole word — the rows' e-mail domains (`@sakilacustomer.org`) are left alone.
 */
export const renameSakila = (sql: string, database: string): string =>
  sql.replace(/\bsakila(?=\s*;|\.)/g, database);

/**
 * Splits a mysql-client script at its `DELIMITER` lines. Each part is either a run of ordinary
 * `;` statements (sent as one multi-statement query) or one statement of a custom-delimited block
 * (a trigger or procedure body, whose inner `;` the server parses itself).
 */
export const splitClientScript = (sql: string): string[] => {
  const parts: string[] = [];
  let delimiter = ';';
  let buffer: string[] = [];
  const flushDefault = (): void => {
    const text = buffer.join('\n').trim();
    if (text !== '') parts.push(text);
    buffer = [];
  };
  for (const line of sql.split('\n')) {
    const directive = /^\s*DELIMITER\s+(\S+)\s*$/i.exec(line);
    if (directive) {
      if (delimiter === ';') flushDefault();
      else buffer = [];
      delimiter = directive[1];
      continue;
    }
    if (delimiter === ';') {
      buffer.push(line);
      continue;
    }
    buffer.push(line);
    const trimmed = line.trimEnd();
    if (trimmed.endsWith(delimiter)) {
      buffer[buffer.length - 1] = trimmed.slice(0, -delimiter.length);
      const statement = buffer.join('\n').trim();
      if (statement !== '') parts.push(statement);
      buffer = [];
    }
  }
  flushDefault();
  return parts;
};

/**
 * MariaDB skips MySQL 5.7+ version comments (`/*!50705 ... *\/`), and Sakila hides its GEOMETRY
 * column `address.location`, the SPATIAL index on it and the matching row values in them. The
 * loader unwraps every version comment so the copy has what the README promises (GEOMETRY
 * typed, SPATIAL indexed), on MariaDB as on MySQL.
 */
export const unwrapVersionComments = (sql: string): string =>
  sql.replace(/\/\*!\d{5} ?([\s\S]*?)\*\//g, '$1');

/** `sogoms_test_{area}_{random}`: unique per run, recognisable, safe to drop. */
export const sakilaDatabaseName = (area: string): string =>
  `sogoms_test_${area}_${randomBytes(4).toString('hex')}`;

/** What loadSakilaInto needs: the server and whether to load the rows. */
export type SakilaFilesOptions = Pick<LoadSakilaOptions, 'data' | 'server'>;

/**
 * Loads Sakila (16 tables, 7 views, triggers, procedures; rows unless `data: false`; version
 * comments unwrapped, see unwrapVersionComments) into `database`, which the dump drops and
 * creates. For a database that outlives a run (the bench's); tests use loadSakila.
 */
export const loadSakilaInto = async (database: string, options: SakilaFilesOptions = {}): Promise<void> => {
  const dir = sakilaDirectory();
  const files = options.data === false ? SAKILA_FILES.slice(0, 1) : SAKILA_FILES;
  // Imported here: @sogoms/schema is loaded by every service, mysql2 (about 14 MB) only by tests.
  const { default: mysql } = await import('mysql2/promise');
  const connection = await mysql.createConnection({
    ...(options.server ?? TEST_MARIADB),
    multipleStatements: true,
  });
  try {
    for (const file of files) {
      const script = unwrapVersionComments(renameSakila(readFileSync(join(dir, file), 'utf8'), database));
      for (const part of splitClientScript(script)) await connection.query(part);
    }
  } finally {
    await connection.end();
  }
};

/**
 * Loads a private copy of Sakila (see loadSakilaInto) into a new database
 * `sogoms_test_{area}_{random}` and returns its name and a `drop()`. On failure the half-loaded
 * database is dropped before the error is rethrown.
 */
export const loadSakila = async (options: LoadSakilaOptions): Promise<LoadedSakila> => {
  const server = options.server ?? TEST_MARIADB;
  const database = sakilaDatabaseName(options.area);
  const drop = async (): Promise<void> => {
    const { default: mysql } = await import('mysql2/promise');
    const dropper = await mysql.createConnection(server);
    try {
      await dropper.query(`DROP DATABASE IF EXISTS \`${database}\``);
    } finally {
      await dropper.end();
    }
  };
  try {
    await loadSakilaInto(database, { server, data: options.data });
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { database, server, drop };
};
