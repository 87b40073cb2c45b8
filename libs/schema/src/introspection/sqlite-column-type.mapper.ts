import type { RawCheck, RawColumn } from './raw-database.types.js';
import { mapColumnType, type FieldTypeFacts } from './column-type.mapper.js';
import { KNOWN_DB_TYPES } from '../model/schema-defaults.js';

/**
 * Declared names that mean in SQLite what they mean in MariaDB: mapped as MariaDB maps them.
 * Not enum and set: SQLite's type names take numbers in parentheses, never a list of values.
 */
const MARIADB_NAMES: ReadonlySet<string> = new Set(
  Object.values(KNOWN_DB_TYPES)
    .flat()
    .filter((name) => name !== 'enum' && name !== 'set'),
);
const TEXT_NAMES = new Set(['varchar', 'char', 'text', 'tinytext', 'mediumtext', 'longtext', 'clob']);

/** `col IN ('a', 'b')`: the values, or undefined when the clause says anything else. */
export const inListValues = (clause: string, column: string): string[] | undefined => {
  const match = /^\s*(?:"([^"]+)"|`([^`]+)`|\[([^\]]+)\]|([A-Za-z_]\w*))\s+in\s*\(([\s\S]*)\)\s*$/i.exec(
    clause,
  );
  if (!match || (match[1] ?? match[2] ?? match[3] ?? match[4]) !== column) return undefined;
  const list = match[5];
  // Only quoted literals and commas: SQLite doubles a quote inside a literal and has no backslash escapes.
  if (!/^\s*'(?:[^']|'')*'(?:\s*,\s*'(?:[^']|'')*')*\s*$/.test(list)) return undefined;
  return [...list.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'"));
};

/** A size written with the name (`nvarchar(40)`, `number(10,2)`) goes with the type. */
const sizesOf = (column: RawColumn, facts: FieldTypeFacts): FieldTypeFacts => {
  if (facts.type === 'decimal' && column.numericPrecision !== null)
    return { ...facts, precision: column.numericPrecision, scale: column.numericScale ?? 0 };
  if ((facts.type === 'string' || facts.type === 'binary') && column.maxLength !== null)
    return { ...facts, length: column.maxLength };
  return facts;
};

/**
 * SQLite's affinity rules (datatype3.html §3.1) for a declared name MariaDB does not have, in
 * their order: INT → int; CHAR, CLOB, TEXT → string with a length, else text; BLOB → binary;
 * REAL, FLOA, DOUB → float; anything else is NUMERIC → decimal with a (p,s), else float. The
 * declared name stays as db_type (`double precision` as `double_precision`), so nothing is lost.
 */
const byAffinity = (column: RawColumn, note: (message: string) => void): FieldTypeFacts => {
  const name = column.dataType;
  // db_type is one word (schema.yaml's rule); `_` for a space keeps the affinity and reads back the same.
  const dbType = name.replace(/[^a-z0-9_]+/g, '_').replace(/^(?=[^a-z])/, 't');
  if (name.includes('int')) return { type: 'int', dbType };
  if (/char|clob|text/.test(name))
    return sizesOf(column, { type: column.maxLength === null ? 'text' : 'string', dbType });
  if (name.includes('blob')) return { type: 'binary', dbType };
  if (/real|floa|doub/.test(name)) return { type: 'float', dbType };
  if (column.numericPrecision !== null) return sizesOf(column, { type: 'decimal', dbType });
  note(`type ${column.columnType} has NUMERIC affinity: served as a float`);
  return { type: 'float', dbType };
};

/**
 * Maps one SQLite column's declared type to the model's type facts. MariaDB's names map as on
 * MariaDB (so the demo's two schemas give one schema.yaml); BOOLEAN is bool; a text column whose
 * check is `col IN ('a', ...)` is an enum (how SQLite spells one); no declared type (any value)
 * is text; other names follow SQLite's affinity rules, keeping the name as db_type.
 */
export const mapSqliteColumnType = (
  column: RawColumn,
  checks: readonly RawCheck[],
  note: (message: string) => void,
): FieldTypeFacts => {
  const name = column.dataType;
  if (TEXT_NAMES.has(name)) {
    const values = checks
      .map((check) => inListValues(check.clause, column.name))
      .find((found) => found !== undefined);
    if (values !== undefined) return { type: 'enum', values };
  }
  if (name === 'boolean' || name === 'bool') return { type: 'bool', dbType: 'boolean' };
  if (name === '') {
    note('no declared type (any value): served as text');
    return { type: 'text' };
  }
  if ((name === 'varchar' || name === 'char') && column.maxLength === null) {
    note(`${column.columnType} without a length: served as a string in a text column`);
    return { type: 'string', dbType: 'text' };
  }
  if (MARIADB_NAMES.has(name)) return mapColumnType(column, checks, note);
  return byAffinity(column, note);
};
