import type { Row, SqlValue } from '@sogoms/ipc';
import { MARIADB_DIALECT, type SqlDialect } from '@sogoms/db/dialect';
import type { FieldDef } from '@sogoms/schema';
import { binaryByteLimit, decimalShape, integerRange, textByteLimit } from './column-limits.js';
import { DecryptionError, decryptionFailed, type FieldEncryption } from './field-encryption.js';
import { wktType } from './wkt.validator.js';

/** A value that does not fit its field; the message names the rule, never the value. */
export class InvalidValueError extends Error {}

/**
 * How one field's values cross the API, compiled once per schema version:
 * JSON input → bound SQL value, query-string text → bound SQL value (filters and ids), and the
 * driver's value → JSON output. Formats: docs/schema.md ("Values in JSON").
 */
export interface FieldCodec {
  /** A JSON body value → the value to bind. `null` only when the field is nullable. */
  fromJson(value: unknown): SqlValue;
  /** A query-string or path value → the value to bind (filters, ids, token user ids). */
  fromText(text: string): SqlValue;
  /**
   * The driver's value (after IPC: Date → ISO string, Buffer → JSON form) → the API's JSON value.
   * An encrypted field's envelope is decrypted here; `row` names the row when it does not.
   */
  toJson(value: unknown, row?: Row): unknown;
  /** `?`, or `ST_GeomFromText(?)` for geometry: how a bound value is written in SQL. */
  placeholder: string;
  /** Whether filters may compare it (binary, json and geometry only take `null`). */
  comparable: boolean;
  /** Whether `like` applies (character types). */
  likeable: boolean;
}

const fail = (message: string): never => {
  throw new InvalidValueError(message);
};

const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^([+-])?(\d+)(?:\.(\d+))?$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const TIME_TEXT = /^(-)?(\d{1,3}):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,6}))?)?$/;
const BASE64_TEXT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const checkCalendarDate = (year: number, month: number, day: number): void => {
  if (month < 1 || month > 12) fail('must be a valid date (YYYY-MM-DD)');
  const days = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (day < 1 || day > days) fail('must be a valid date (YYYY-MM-DD)');
  if (year < 1000) fail('must be a date from year 1000 on');
};

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC: the only DATETIME form MariaDB takes over IPC. */
const toDbDateTime = (text: string, timestamp: boolean): string => {
  const match = DATETIME_TEXT.exec(text);
  if (match === null) return fail('must be an ISO 8601 date-time (YYYY-MM-DDTHH:MM:SSZ)');
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction, zone] = match;
  checkCalendarDate(Number(y), Number(mo), Number(d));
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) fail('must be a valid time of day');
  let utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
    if (offsetMinutes > 14 * 60) fail('has an invalid time zone offset');
    utc -= sign * offsetMinutes * 60_000;
  }
  // TIMESTAMP holds 1970-01-01 00:00:01 .. 2038-01-19 03:14:07 UTC.
  if (timestamp && (utc < 1000 || utc > 2_147_483_647_000)) fail('must be between 1970 and 2038');
  const at = new Date(utc);
  if (at.getUTCFullYear() < 1000 || at.getUTCFullYear() > 9999) fail('is out of range');
  const date = `${pad(at.getUTCFullYear(), 4)}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
  const time = `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
  return fraction === undefined ? `${date} ${time}` : `${date} ${time}.${fraction}`;
};

const checkInteger = (field: FieldDef, text: string): bigint => {
  if (!INTEGER_TEXT.test(text)) fail('must be an integer');
  const value = BigInt(text);
  const range = integerRange(field);
  if (value < range.min || value > range.max) fail(`must be between ${range.min} and ${range.max}`);
  return value;
};

const checkDecimal = (field: FieldDef, text: string): string => {
  const match = DECIMAL_TEXT.exec(text);
  if (match === null) return fail('must be a decimal number written as a string, e.g. "4.99"');
  const { precision, scale } = decimalShape(field);
  const whole = match[2].replace(/^0+(?=\d)/, '');
  const fraction = match[3] ?? '';
  if (fraction.length > scale) fail(`must have at most ${scale} decimal places`);
  if ((whole === '0' ? 0 : whole.length) > precision - scale)
    fail(`must have at most ${precision - scale} digits before the decimal point`);
  if (field.unsigned && match[1] === '-' && /[1-9]/.test(whole + fraction)) fail('must not be negative');
  return text;
};

const bufferOf = (value: unknown): Buffer | null => {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'object' && value !== null) {
    const json = value as { type?: unknown; data?: unknown };
    if (json.type === 'Buffer' && Array.isArray(json.data)) return Buffer.from(json.data as number[]);
  }
  return null;
};

const identity = (value: unknown): unknown => value;

interface TypeCodec {
  fromJson: (value: unknown) => SqlValue;
  fromText: (text: string) => SqlValue;
  toJson: (value: unknown) => unknown;
  comparable?: boolean;
  likeable?: boolean;
}

const NOT_FILTERABLE = (): never => fail('cannot be compared');

const codecForType = (field: FieldDef): TypeCodec => {
  switch (field.type) {
    case 'int':
    case 'year': {
      const fromText = (text: string): number => {
        const value = Number(checkInteger(field, text));
        if (field.type === 'year' && value !== 0 && (value < 1901 || value > 2155))
          fail('must be a year between 1901 and 2155');
        return value;
      };
      return {
        fromJson: (value) =>
          typeof value === 'number' && Number.isInteger(value)
            ? fromText(String(value))
            : fail('must be an integer'),
        fromText,
        toJson: (value) => (typeof value === 'string' ? Number(value) : value),
      };
    }
    case 'bigint':
      return {
        fromJson: (value) => {
          if (typeof value === 'number' && Number.isSafeInteger(value))
            return checkInteger(field, String(value)).toString();
          if (typeof value === 'string') return checkInteger(field, value).toString();
          return fail('must be an integer (a string beyond 2^53)');
        },
        fromText: (text) => checkInteger(field, text).toString(),
        toJson: (value) => (typeof value === 'number' || typeof value === 'bigint' ? String(value) : value),
      };
    case 'decimal':
      return {
        fromJson: (value) => {
          if (typeof value === 'string') return checkDecimal(field, value);
          if (typeof value === 'number' && Number.isFinite(value) && !/e/i.test(String(value)))
            return checkDecimal(field, String(value));
          return fail('must be a decimal number written as a string, e.g. "4.99"');
        },
        fromText: (text) => checkDecimal(field, text),
        toJson: (value) => (typeof value === 'number' ? String(value) : value),
      };
    case 'float': {
      const check = (value: number): number => {
        if (!Number.isFinite(value)) fail('must be a finite number');
        if (field.unsigned && value < 0) fail('must not be negative');
        return value;
      };
      return {
        fromJson: (value) => (typeof value === 'number' ? check(value) : fail('must be a number')),
        fromText: (text) =>
          /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)
            ? check(Number(text))
            : fail('must be a number'),
        toJson: (value) => (typeof value === 'string' ? Number(value) : value),
      };
    }
    case 'bool':
      return {
        fromJson: (value) => {
          if (typeof value === 'boolean') return value ? 1 : 0;
          if (value === 0 || value === 1) return value;
          return fail('must be true or false');
        },
        fromText: (text) => {
          if (text === 'true' || text === '1') return 1;
          if (text === 'false' || text === '0') return 0;
          return fail('must be true or false');
        },
        toJson: (value) => (value === null || value === undefined ? value : Number(value) !== 0),
      };
    case 'string':
    case 'text': {
      const check = (text: string): string => {
        if (field.type === 'string' && field.length !== undefined && [...text].length > field.length)
          fail(`must be at most ${field.length} characters`);
        if (field.type === 'text' && Buffer.byteLength(text) > textByteLimit(field))
          fail(`must be at most ${textByteLimit(field)} bytes`);
        return text;
      };
      return {
        fromJson: (value) => (typeof value === 'string' ? check(value) : fail('must be a string')),
        fromText: check,
        toJson: identity,
        likeable: true,
      };
    }
    case 'date': {
      const check = (text: string): string => {
        const match = DATE_TEXT.exec(text);
        if (match === null) return fail('must be a date (YYYY-MM-DD)');
        checkCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
        return text;
      };
      return {
        fromJson: (value) => (typeof value === 'string' ? check(value) : fail('must be a date (YYYY-MM-DD)')),
        fromText: check,
        toJson: (value) =>
          value instanceof Date
            ? value.toISOString().slice(0, 10)
            : typeof value === 'string'
              ? value.slice(0, 10)
              : value,
      };
    }
    case 'datetime': {
      const timestamp = field.dbType === 'timestamp';
      return {
        fromJson: (value) =>
          typeof value === 'string'
            ? toDbDateTime(value, timestamp)
            : fail('must be an ISO 8601 date-time string'),
        fromText: (text) => toDbDateTime(text, timestamp),
        toJson: (value) => {
          if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
          if (typeof value === 'string' && / /.test(value)) return `${value.replace(' ', 'T')}Z`;
          return value;
        },
      };
    }
    case 'time': {
      const check = (text: string): string => {
        const match = TIME_TEXT.exec(text);
        if (match === null || Number(match[2]) > 838) return fail('must be a time (HH:MM:SS)');
        return text;
      };
      return {
        fromJson: (value) => (typeof value === 'string' ? check(value) : fail('must be a time (HH:MM:SS)')),
        fromText: check,
        toJson: identity,
      };
    }
    case 'enum': {
      const values = field.values ?? [];
      const check = (text: string): string =>
        values.includes(text) ? text : fail(`must be one of: ${values.join(', ')}`);
      return {
        fromJson: (value) =>
          typeof value === 'string' ? check(value) : fail(`must be one of: ${values.join(', ')}`),
        fromText: check,
        toJson: identity,
        likeable: true,
      };
    }
    case 'set': {
      const values = field.values ?? [];
      const check = (members: unknown[]): string => {
        const problem = `must be a list of distinct values among: ${values.join(', ')}`;
        if (!members.every((m): m is string => typeof m === 'string' && values.includes(m))) fail(problem);
        if (new Set(members).size !== members.length) fail(problem);
        // MariaDB stores a SET in declaration order; write it that way.
        return values.filter((v) => members.includes(v)).join(',');
      };
      return {
        fromJson: (value) => (Array.isArray(value) ? check(value) : fail('must be an array of strings')),
        fromText: (text) => check(text === '' ? [] : text.split(',')),
        toJson: (value) => (typeof value === 'string' ? (value === '' ? [] : value.split(',')) : value),
        likeable: true,
      };
    }
    case 'json':
      return {
        fromJson: (value) => JSON.stringify(value),
        fromText: NOT_FILTERABLE,
        toJson: (value) => {
          if (typeof value !== 'string') return value;
          try {
            return JSON.parse(value) as unknown;
          } catch {
            return value;
          }
        },
        comparable: false,
      };
    case 'binary': {
      const limit = binaryByteLimit(field);
      return {
        fromJson: (value) => {
          if (typeof value !== 'string' || !BASE64_TEXT.test(value)) return fail('must be base64 text');
          const bytes = Buffer.from(value, 'base64');
          if (bytes.length > limit) fail(`must be at most ${limit} bytes`);
          return bytes;
        },
        fromText: NOT_FILTERABLE,
        toJson: (value) => bufferOf(value)?.toString('base64') ?? value,
        comparable: false,
      };
    }
    case 'geometry': {
      const kind =
        field.dbType === undefined || field.dbType === 'geometry' ? null : field.dbType.toUpperCase();
      return {
        fromJson: (value) => {
          const type = typeof value === 'string' ? wktType(value) : null;
          if (type === null) return fail('must be 2D WKT text, e.g. POINT(1 2)');
          if (kind !== null && type !== kind) fail(`must be a ${kind}`);
          return value as string;
        },
        fromText: NOT_FILTERABLE,
        toJson: identity,
        comparable: false,
      };
    }
  }
};

/**
 * @param encryption set for an `encrypted: true` field: values are checked as plaintext (the
 * write parser seals them), read values are decrypted; such a field takes no `like`.
 */
export const compileFieldCodec = (
  field: FieldDef,
  dialect: SqlDialect = MARIADB_DIALECT,
  encryption: FieldEncryption | null = null,
): FieldCodec => {
  const codec = codecForType(field);
  const toJson =
    encryption === null
      ? (value: unknown): unknown => (value === null || value === undefined ? null : codec.toJson(value))
      : (value: unknown, row?: Row): unknown => {
          if (value === null || value === undefined) return null;
          try {
            // A text column: the driver answers a string (a Buffer only for a binary collation).
            return encryption.open(Buffer.isBuffer(value) ? value.toString('utf8') : (value as string));
          } catch (error) {
            if (error instanceof DecryptionError) throw decryptionFailed(encryption, error, row);
            throw error;
          }
        };
  return {
    fromJson: (value) => {
      if (value === null) return field.nullable ? null : fail('must not be null');
      return codec.fromJson(value);
    },
    fromText: codec.fromText,
    toJson,
    placeholder: field.type === 'geometry' ? dialect.geometryFromText('?') : '?',
    comparable: codec.comparable ?? true,
    likeable: encryption === null && (codec.likeable ?? false),
  };
};
