import type { FieldDef, FieldType } from '../schema.types.js';
import { sqlStringLiteral } from '../migrate/sql-literal.js';
import { effectiveDbType, LENGTH_DB_TYPES } from '../model/schema-defaults.js';

const LENGTH_TYPES = new Set(LENGTH_DB_TYPES);
/** char and binary default to one character/byte in MariaDB; varchar and varbinary need a length. */
const LENGTH_OPTIONAL = new Set(['char', 'binary']);
const FRACTIONAL_SECOND_TYPES = new Set(['datetime', 'timestamp', 'time']);
const NUMERIC_TYPES = new Set([
  'tinyint',
  'smallint',
  'mediumint',
  'int',
  'integer',
  'bigint',
  'decimal',
  'numeric',
  'float',
  'double',
  'real',
]);

/** The column's type as MariaDB spells it without display widths: `varchar(128)`, `int unsigned`. */
export const columnType = (field: FieldDef): string => {
  const base = effectiveDbType(field).toLowerCase();
  let text = base;
  if (field.type === 'bool' && base === 'tinyint') text = 'tinyint(1)';
  else if (LENGTH_TYPES.has(base)) {
    if (field.length !== undefined) text = `${base}(${field.length})`;
    else if (LENGTH_OPTIONAL.has(base)) text = `${base}(1)`;
  } else if (base === 'decimal' || base === 'numeric') {
    text = `${base}(${field.precision ?? 10},${field.scale ?? 0})`;
  } else if (base === 'enum' || base === 'set') {
    text = `${base}(${(field.values ?? []).map(sqlStringLiteral).join(',')})`;
  } else if (FRACTIONAL_SECOND_TYPES.has(base) && field.precision !== undefined && field.precision > 0) {
    text = `${base}(${field.precision})`;
  }
  return field.unsigned && NUMERIC_TYPES.has(base) ? `${text} unsigned` : text;
};

/** Why a field cannot become a column definition, or undefined when it can. */
export const columnTypeProblem = (field: FieldDef): string | undefined => {
  const base = effectiveDbType(field).toLowerCase();
  if (LENGTH_TYPES.has(base) && !LENGTH_OPTIONAL.has(base) && field.length === undefined)
    return `${base} needs a length`;
  if ((base === 'enum' || base === 'set') && (field.values ?? []).length === 0) return `${base} needs values`;
  return undefined;
};

/** Why a table cannot be created (`CREATE TABLE t: a: varchar needs a length`), or undefined when it can. */
export const createTableProblem = (table: {
  name: string;
  fields: readonly FieldDef[];
}): string | undefined => {
  const problems = table.fields.flatMap((f) => {
    const problem = columnTypeProblem(f);
    return problem === undefined ? [] : [`${f.name}: ${problem}`];
  });
  return problems.length === 0 ? undefined : `CREATE TABLE ${table.name}: ${problems.join('; ')}`;
};

const NUMERIC_FIELD_TYPES = new Set<FieldType>(['int', 'bigint', 'decimal', 'float', 'bool', 'year']);
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** `4.990` → `4.99`, `+05` → `5`, `-0.0` → `0`: numbers compared as text, so no precision is lost. */
const canonicalNumber = (text: string): string => {
  if (/e/i.test(text)) return String(Number(text));
  let sign = text.startsWith('-') ? '-' : '';
  let [whole, fraction = ''] = text.replace(/^[+-]/, '').split('.');
  whole = whole.replace(/^0+(?=\d)/, '') || '0';
  fraction = fraction.replace(/0+$/, '');
  if (whole === '0' && fraction === '') sign = '';
  return `${sign}${whole}${fraction === '' ? '' : `.${fraction}`}`;
};

/** Spellings of the one expression ON UPDATE and most timestamp defaults use. */
const CURRENT_TIMESTAMP = /^(current_timestamp|now|localtimestamp|localtime)(\((\d*)\))?$/;

/** An SQL expression in one spelling: lower case outside quotes, single spaces, `current_timestamp()`. */
export const canonicalExpression = (sql: string): string => {
  const compact = sql.trim().replace(/\s+/g, ' ');
  const lower = compact.replace(
    /('(?:[^'\\]|\\.|'')*')|[^']+/g,
    (part, quoted: string | undefined) => quoted ?? part.toLowerCase(),
  );
  const now = CURRENT_TIMESTAMP.exec(lower);
  if (now) return now[3] ? `current_timestamp(${now[3]})` : 'current_timestamp()';
  return lower;
};

/** A literal that a `{ sql }` default may spell as an expression: `'abc'`, `4.99`, `NULL`. */
const literalFromExpression = (sql: string): string | number | null | undefined => {
  const text = sql.trim();
  if (/^null$/i.test(text)) return null;
  if (NUMBER_TEXT.test(text)) return text;
  const quoted = /^'((?:[^'\\]|\\.|'')*)'$/s.exec(text);
  if (quoted) return quoted[1].replace(/''/g, "'").replace(/\\(.)/g, '$1');
  return undefined;
};

/** A column default, classified: what DDL writes and what diff compares. */
export type ColumnDefault =
  | { kind: 'none' }
  | { kind: 'null' }
  /** Canonical decimal text (`4.99`), for numeric columns. */
  | { kind: 'number'; text: string }
  | { kind: 'string'; text: string }
  /** Canonical SQL (`current_timestamp()`, `uuid()`). */
  | { kind: 'expression'; sql: string };

/**
 * The column default, classified: a nullable column without a default defaults to NULL; an
 * auto-increment column has none; literals spelled as `{ sql }` (`'abc'`, `0`, `NULL`) are literals.
 */
export const columnDefaultOf = (field: FieldDef): ColumnDefault => {
  if (field.auto) return { kind: 'none' };
  let value = field.default;
  if (value !== null && typeof value === 'object') {
    const literal = literalFromExpression(value.sql);
    if (literal === undefined) return { kind: 'expression', sql: canonicalExpression(value.sql) };
    value = literal;
  }
  if (value === undefined || value === null) return field.nullable ? { kind: 'null' } : { kind: 'none' };
  const numeric = NUMERIC_FIELD_TYPES.has(field.type);
  const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value).trim();
  if (numeric && NUMBER_TEXT.test(text)) return { kind: 'number', text: canonicalNumber(text) };
  return { kind: 'string', text: typeof value === 'string' ? value : text };
};

/** `none`, `NULL`, `4.99`, `'G'` or `current_timestamp()`: comparable and printable. */
export const columnDefault = (field: FieldDef): string => {
  const value = columnDefaultOf(field);
  switch (value.kind) {
    case 'none':
      return 'none';
    case 'null':
      return 'NULL';
    case 'number':
      return value.text;
    case 'string':
      return sqlStringLiteral(value.text);
    case 'expression':
      return value.sql;
  }
};

/** `current_timestamp()` or `none`. */
export const columnOnUpdate = (field: FieldDef): string =>
  field.onUpdate === undefined ? 'none' : canonicalExpression(field.onUpdate.sql);

/** The facts of one column that the database holds, each in a comparable, printable spelling. */
export interface ColumnFacts {
  type: string;
  nullable: string;
  default: string;
  on_update: string;
  auto: string;
  comment: string;
}

export type ColumnAspect = keyof ColumnFacts;

/** In the order a difference list shows them. */
export const COLUMN_ASPECTS: readonly ColumnAspect[] = [
  'type',
  'nullable',
  'default',
  'on_update',
  'auto',
  'comment',
];

export const columnFacts = (field: FieldDef): ColumnFacts => ({
  type: columnType(field),
  nullable: field.nullable ? 'NULL' : 'NOT NULL',
  default: columnDefault(field),
  on_update: columnOnUpdate(field),
  auto: field.auto ? 'AUTO_INCREMENT' : 'no AUTO_INCREMENT',
  comment: field.comment === undefined || field.comment === '' ? 'none' : sqlStringLiteral(field.comment),
});
