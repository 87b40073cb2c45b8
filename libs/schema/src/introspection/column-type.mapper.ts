import type { FieldDef, FieldType } from '../schema.types.js';
import type { RawCheck, RawColumn } from './raw-database.types.js';

/** The type part of a field: what docs/schema.md calls type, db_type and their sizes. */
export type FieldTypeFacts = Pick<FieldDef, 'type' | 'dbType' | 'length' | 'precision' | 'scale' | 'values'>;

const INT_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer']);
const TEXT_TYPES = new Set(['tinytext', 'text', 'mediumtext', 'longtext']);
const BINARY_TYPES = new Set(['blob', 'tinyblob', 'mediumblob', 'longblob', 'varbinary', 'binary']);
const GEOMETRY_TYPES = new Set([
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
]);
const FRACTIONAL_SECOND_TYPES = new Set(['datetime', 'timestamp', 'time']);
/** Types MariaDB has that the model has no word for, but whose values travel well as strings. */
const STRING_LIKE_TYPES = new Set(['uuid', 'inet4', 'inet6']);

/**
 * The values of `enum('a','b,c','it''s')` / `set(...)` as MariaDB prints them in COLUMN_TYPE:
 * each value single-quoted, quotes doubled, backslashes escaped; commas inside quotes belong to
 * the value.
 */
export const parseEnumValues = (columnType: string): string[] => {
  const open = columnType.indexOf('(');
  const close = columnType.lastIndexOf(')');
  if (open < 0 || close < open) return [];
  const body = columnType.slice(open + 1, close);
  const values: string[] = [];
  let i = 0;
  while (i < body.length) {
    if (body[i] !== "'") {
      i += 1; // a comma or a space between values
      continue;
    }
    let value = '';
    i += 1;
    for (;;) {
      if (i >= body.length) break;
      const ch = body[i];
      if (ch === "'" && body[i + 1] === "'") {
        value += "'";
        i += 2;
      } else if (ch === "'") {
        i += 1;
        break;
      } else if (ch === '\\' && i + 1 < body.length) {
        value += unescapeChar(body[i + 1]);
        i += 2;
      } else {
        value += ch;
        i += 1;
      }
    }
    values.push(value);
  }
  return values;
};

/** MariaDB's backslash escapes in string literals (`\%` and `\_` keep their backslash). */
const unescapeChar = (ch: string): string => {
  switch (ch) {
    case '0':
      return '\0';
    case 'b':
      return '\b';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'Z':
      return '\x1a';
    case '%':
    case '_':
      return `\\${ch}`;
    default:
      return ch;
  }
};

/** `'it''s'` → `it's`; undefined when `text` is not one quoted literal. */
export const unquoteLiteral = (text: string): string | undefined => {
  if (text.length < 2 || !text.startsWith("'") || !text.endsWith("'")) return undefined;
  const values = parseEnumValues(`(${text})`);
  // One literal re-quoted must give back the whole text, or the quotes were two literals.
  return values.length === 1 ? values[0] : undefined;
};

/** A longtext column whose check is exactly `json_valid(col)`: MariaDB's `json` alias. */
export const isJsonAlias = (column: RawColumn, checks: readonly RawCheck[]): boolean => {
  if (column.dataType !== 'longtext') return false;
  const escaped = column.name.replace(/`/g, '``');
  const wanted = `json_valid(\`${escaped}\`)`;
  return checks.some((check) => check.clause.replace(/\s+/g, '').toLowerCase() === wanted.toLowerCase());
};

/** The `(n)` in `bit(3)`, `year(4)`: the first number in parentheses. */
const firstNumber = (columnType: string): number | undefined => {
  const match = /\((\d+)/.exec(columnType);
  return match ? Number(match[1]) : undefined;
};

const withDbType = (type: FieldType, dbType: string, defaultDbType: string): FieldTypeFacts =>
  dbType === defaultDbType ? { type } : { type, dbType };

/**
 * Maps one column's MariaDB type to the model's type facts (docs/schema.md): `db_type` only when
 * it is not the default for `type`; `tinyint(1)` is bool; a longtext with a `json_valid` check is
 * json; lengths, decimal precision/scale, fractional seconds as `precision`, enum/set values.
 * `note` is told about anything the model cannot say exactly.
 */
export const mapColumnType = (
  column: RawColumn,
  checks: readonly RawCheck[],
  note: (message: string) => void,
): FieldTypeFacts => {
  const base = column.dataType;
  const columnType = column.columnType.toLowerCase();
  // tinyint(1) is MariaDB's BOOLEAN; an unsigned one is not a flag anybody declared.
  if (base === 'tinyint' && /^tinyint\(1\)$/.test(columnType)) return { type: 'bool' };
  if (INT_TYPES.has(base)) return withDbType('int', base === 'integer' ? 'int' : base, 'int');
  if (base === 'bigint') return { type: 'bigint' };
  if (base === 'decimal' || base === 'numeric') {
    return {
      type: 'decimal',
      precision: column.numericPrecision ?? 10,
      scale: column.numericScale ?? 0,
    };
  }
  if (base === 'float' || base === 'double' || base === 'real') {
    if (/\(\d+,\d+\)/.test(columnType))
      note(`${column.columnType}: the (precision,scale) of a float is not kept`);
    return withDbType('float', base === 'real' ? 'double' : base, 'float');
  }
  if (base === 'bit') {
    const bits = firstNumber(columnType) ?? 1;
    if (bits > 1) note(`${column.columnType}: served as a flag (bool); only bit(1) maps exactly`);
    return { type: 'bool', dbType: 'bit' };
  }
  if (base === 'varchar' || base === 'char') {
    const facts: FieldTypeFacts = withDbType('string', base, 'varchar');
    if (column.maxLength !== null) facts.length = column.maxLength;
    return facts;
  }
  if (base === 'json' || (base === 'longtext' && isJsonAlias(column, checks))) return { type: 'json' };
  if (TEXT_TYPES.has(base)) return withDbType('text', base, 'text');
  if (base === 'date') return { type: 'date' };
  if (FRACTIONAL_SECOND_TYPES.has(base)) {
    const facts = withDbType(
      base === 'time' ? 'time' : 'datetime',
      base,
      base === 'time' ? 'time' : 'datetime',
    );
    if (column.datetimePrecision !== null && column.datetimePrecision > 0)
      facts.precision = column.datetimePrecision;
    return facts;
  }
  if (base === 'year') return { type: 'year' };
  if (base === 'enum' || base === 'set') return { type: base, values: parseEnumValues(column.columnType) };
  if (BINARY_TYPES.has(base)) {
    const facts = withDbType('binary', base, 'blob');
    if ((base === 'varbinary' || base === 'binary') && column.maxLength !== null)
      facts.length = column.maxLength;
    return facts;
  }
  if (GEOMETRY_TYPES.has(base)) return withDbType('geometry', base, 'geometry');
  if (!STRING_LIKE_TYPES.has(base)) note(`type ${column.columnType} is served as a string`);
  return { type: 'string', dbType: base };
};
