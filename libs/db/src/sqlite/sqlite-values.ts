import type { Row, SqlValue } from '@sogoms/ipc';

/**
 * What better-sqlite3 binds and returns, shaped like the MariaDB engine's values so that the
 * wire carries the same JSON from both: booleans bound as 0/1, lists expanded for `IN (?)`,
 * integers exact (beyond 2^53 as strings), DATETIME as a UTC instant, DECIMAL as a string.
 */
export type SqliteBindable = number | string | bigint | Buffer | null;

const asBindable = (value: SqlValue): SqliteBindable => {
  if (value === null || typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return sqliteDateTime(value);
  if (Buffer.isBuffer(value)) return value;
  throw new TypeError('A list can only be bound to IN (?)');
};

/** `YYYY-MM-DD HH:MM:SS` in UTC: the form MariaDB takes and SQLite's date functions read. */
export const sqliteDateTime = (date: Date): string => date.toISOString().slice(0, 19).replace('T', ' ');

/**
 * The statement with each `?` whose value is a list replaced by one `?` per element (an empty
 * list by `NULL`, so `IN (NULL)` matches nothing), and the flat values. Quoted text, quoted
 * identifiers and comments are skipped, so a `?` inside them is left alone.
 */
export const expandListParams = (
  sql: string,
  params: readonly SqlValue[],
): { sql: string; values: SqliteBindable[] } => {
  const values: SqliteBindable[] = [];
  if (!params.some(Array.isArray)) {
    for (const value of params) values.push(asBindable(value));
    return { sql, values };
  }
  let out = '';
  let next = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`') {
      const end = closingQuote(sql, i, c);
      out += sql.slice(i, end);
      i = end;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '?') {
      const value = params[next++];
      if (Array.isArray(value)) {
        if (value.length === 0) out += 'NULL';
        else {
          out += value.map(() => '?').join(', ');
          for (const item of value) values.push(asBindable(item));
        }
      } else {
        out += '?';
        values.push(asBindable(value ?? null));
      }
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return { sql: out, values };
};

/** The index just past the quote that closes the one at `start` (a doubled quote escapes it). */
const closingQuote = (sql: string, start: number, quote: string): number => {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
};

/** Turns one column's stored value into the wire's form; picked once per prepared statement. */
export type ColumnDecoder = (value: unknown) => unknown;

const exactInteger = (value: unknown): unknown =>
  typeof value === 'bigint'
    ? value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString()
    : value;

const DATETIME_TEXT = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]00:?00)?$/;

const utcInstant = (value: unknown): unknown => {
  if (typeof value !== 'string') return exactInteger(value);
  const match = DATETIME_TEXT.exec(value);
  if (match === null) return value;
  const millis = (match[3] ?? '.000').padEnd(4, '0').slice(0, 4);
  return `${match[1]}T${match[2]}${millis}Z`;
};

const decimalText =
  (scale: number): ColumnDecoder =>
  (value) => {
    if (typeof value === 'bigint')
      return scale === 0 ? value.toString() : `${value.toString()}.${'0'.repeat(scale)}`;
    if (typeof value === 'number') return value.toFixed(scale);
    return value;
  };

const DECIMAL_TYPE = /^\s*(?:decimal|numeric)\s*(?:\(\s*\d+\s*(?:,\s*(\d+)\s*)?\))?/i;

/** The decoder for a result column of declared type `declared` (null: an expression). */
export const decoderFor = (declared: string | null): ColumnDecoder => {
  if (declared === null) return exactInteger;
  const type = declared.toLowerCase();
  if (type.startsWith('datetime') || type.startsWith('timestamp')) return utcInstant;
  const decimal = DECIMAL_TYPE.exec(declared);
  if (decimal !== null) return decimalText(Number(decimal[1] ?? 0));
  return exactInteger;
};

/** The rows of a statement, each column through its decoder. */
export const decodeRows = (
  raw: readonly unknown[][],
  names: readonly string[],
  decoders: readonly ColumnDecoder[],
): Row[] =>
  raw.map((values) => {
    const row: Row = {};
    for (let i = 0; i < names.length; i++) row[names[i]] = decoders[i](values[i]);
    return row;
  });
