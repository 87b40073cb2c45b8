/**
 * SQLite keeps index names in one namespace per database, MariaDB per table (Sakila has an
 * `idx_fk_address_id` on three tables). The indexes SOGOMS creates on SQLite are named
 * `{table}__{name}`; the reader gives them back as `name`. An index of a file SOGOMS did not make
 * keeps its own name (and a migrate that drops it names it so: see docs/schema.md).
 */
const SEPARATOR = '__';

export const sqliteIndexName = (table: string, name: string): string => `${table}${SEPARATOR}${name}`;

export const schemaIndexName = (table: string, physical: string): string =>
  physical.startsWith(`${table}${SEPARATOR}`) ? physical.slice(table.length + SEPARATOR.length) : physical;
