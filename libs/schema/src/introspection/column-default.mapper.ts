import type { FieldDef, FieldType } from '../schema.types.js';
import { unquoteLiteral } from './column-type.mapper.js';

const NUMBER_LITERAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * COLUMN_DEFAULT as MariaDB (10.2.7+) reports it, turned into the model's `default`:
 * null (no default) and `NULL` (DEFAULT NULL, implicit for a nullable column) → undefined;
 * a quoted literal `'G'` → the string; a number → a number (bool: true/false; decimal and
 * unsafe bigints: the string as written, so no digit is lost); anything else is an expression
 * (`current_timestamp()`, `curdate()`, `b'1'`, `(1 + 2)`) → `{ sql }` as MariaDB prints it.
 */
export const mapColumnDefault = (reported: string | null, type: FieldType): FieldDef['default'] => {
  if (reported === null) return undefined;
  const text = reported.trim();
  if (text.toUpperCase() === 'NULL') return undefined;
  const literal = unquoteLiteral(text);
  if (literal !== undefined) return literal;
  if (NUMBER_LITERAL.test(text)) {
    if (type === 'bool') return text === '1' ? true : text === '0' ? false : Number(text);
    if (type === 'bigint') return Number.isSafeInteger(Number(text)) ? Number(text) : text;
    if (type === 'int' || type === 'float' || type === 'year') return Number(text);
    return text; // decimal: as written, so no digit is lost
  }
  return { sql: text };
};

/** `on update current_timestamp()` in EXTRA → `{ sql: 'current_timestamp()' }`. */
export const mapOnUpdate = (extra: string): { sql: string } | undefined => {
  const match = /\bon update (.+)$/i.exec(extra);
  if (!match) return undefined;
  // EXTRA may list more after the expression (e.g. `invisible`); the expression ends at its `)`.
  const expression = /^[a-z_]+(\(\d*\))?/i.exec(match[1].trim());
  return { sql: expression ? expression[0].toLowerCase() : match[1].trim() };
};
