import { SogomsError } from '@sogoms/common';
import { newErrorRef, type DriverErrorContext, type MappedDriverError } from '../driver-error.mapper.js';

/**
 * SQLite's errors (better-sqlite3's SqliteError: `code` is the extended result code) as the same
 * stable codes and messages the MariaDB mapper gives, so a client cannot tell the engines apart.
 * Never the SQL, the values or SQLite's own text towards the caller.
 */

const mapped = (
  error: SogomsError,
  driverCode: string,
  logMessage: string | null,
  connectionBroken = false,
): MappedDriverError => ({ error, driverCode, logMessage, connectionBroken });

/** `UNIQUE constraint failed: users.email, users.tenant` → table and columns. */
const CONSTRAINT_COLUMNS = /constraint failed: (.+)$/;
/** The table a statement writes to, for messages SQLite does not qualify. */
const WRITE_TARGET =
  /^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+[`"[]?(\w+)/i;

const columnsOf = (text: string): { table: string | null; fields: string[] } => {
  const list = CONSTRAINT_COLUMNS.exec(text)?.[1] ?? '';
  const qualified = list
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const table = qualified[0]?.includes('.') ? qualified[0].split('.')[0] : null;
  return { table, fields: qualified.map((part) => part.split('.').pop() ?? part) };
};

/** Codes meaning the file cannot be used right now (missing, unreadable, full, locked out). */
const UNAVAILABLE_PREFIXES = [
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT',
  'SQLITE_READONLY',
  'SQLITE_PERM',
  'SQLITE_AUTH',
];

const isSqliteError = (value: unknown): value is Error & { code: string } => {
  const code = value instanceof Error ? (value as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_');
};

export const mapSqliteError = (thrown: unknown, context: DriverErrorContext = {}): MappedDriverError => {
  if (thrown instanceof SogomsError) return mapped(thrown, thrown.code, null);
  if (!isSqliteError(thrown)) {
    const text = thrown instanceof Error ? thrown.message : String(thrown);
    if (text === 'The database connection is not open')
      return mapped(new SogomsError('UNAVAILABLE', 'Database is unavailable'), 'CLOSED', text, true);
    return mapped(
      new SogomsError('INTERNAL', 'Database statement failed', { ref: newErrorRef() }),
      'UNKNOWN',
      text,
    );
  }
  const code = thrown.code;
  const text = thrown.message;
  if (UNAVAILABLE_PREFIXES.some((prefix) => code.startsWith(prefix)))
    return mapped(new SogomsError('UNAVAILABLE', 'Database is unavailable'), code, text, true);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return mapped(new SogomsError('TIMEOUT', 'Timed out waiting for a row lock'), code, text);
  if (code === 'SQLITE_INTERRUPT')
    return mapped(new SogomsError('TIMEOUT', 'Database statement timed out'), code, text);
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const { table: named, fields } = columnsOf(text);
    const table = named ?? WRITE_TARGET.exec(context.sql ?? '')?.[1] ?? null;
    const key = code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ? 'PRIMARY' : fields.join('_') || null;
    const message =
      key === 'PRIMARY'
        ? table
          ? `Duplicate primary key for ${table}`
          : 'Duplicate primary key'
        : key
          ? `Duplicate value for ${table ? `${table}.` : ''}${key}`
          : 'Duplicate value';
    return mapped(new SogomsError('CONFLICT', message, { table, key }), code, null);
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || text === 'FOREIGN KEY constraint failed') {
    // SQLite does not say which key failed; the write target is what the statement names.
    const table = WRITE_TARGET.exec(context.sql ?? '')?.[1] ?? null;
    const deleting = /^\s*DELETE/i.test(context.sql ?? '');
    const message = deleting ? 'Row is still referenced' : 'Referenced row does not exist';
    return mapped(
      new SogomsError('CONSTRAINT', message, { table, field: null, references: null }),
      code,
      text,
    );
  }
  if (code === 'SQLITE_CONSTRAINT_NOTNULL') {
    // MariaDB names only the column here; so does this.
    const field = columnsOf(text).fields[0];
    const details: Record<string, string> = {};
    if (field) details.field = field;
    return mapped(
      new SogomsError(
        'VALIDATION_FAILED',
        field ? `${field} must not be null` : 'A required value is null',
        details,
      ),
      code,
      null,
    );
  }
  if (code === 'SQLITE_CONSTRAINT_CHECK') {
    const check = CONSTRAINT_COLUMNS.exec(text)?.[1] ?? null;
    const named = check !== null && /^\w+$/.test(check) ? check : null;
    return mapped(
      new SogomsError('VALIDATION_FAILED', named ? `Check ${named} failed` : 'A check constraint failed', {
        constraint: named,
      }),
      code,
      null,
    );
  }
  if (code === 'SQLITE_TOOBIG')
    return mapped(new SogomsError('VALIDATION_FAILED', 'Value too long', {}), code, null);
  if (code === 'SQLITE_MISMATCH' || code.startsWith('SQLITE_CONSTRAINT'))
    return mapped(new SogomsError('VALIDATION_FAILED', 'Invalid value', {}), code, null);
  return mapped(new SogomsError('INTERNAL', 'Database statement failed', { ref: newErrorRef() }), code, text);
};
