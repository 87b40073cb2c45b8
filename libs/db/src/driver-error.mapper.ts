import { randomBytes } from 'node:crypto';
import { SogomsError } from '@sogoms/common';

/**
 * The one place where a MariaDB/MySQL driver error (or a socket error underneath it) becomes a
 * stable SogomsError. Callers get a message that names at most a table, a key or a column:
 * never the SQL, never the bound values, never the driver's own message.
 */

/** What mysql2 (and the socket below it) puts on an error. */
export interface DriverErrorShape {
  code?: string;
  errno?: number;
  sqlMessage?: string;
  message?: string;
  fatal?: boolean;
}

export interface MappedDriverError {
  error: SogomsError;
  /** The driver's code or errno, for the logs. */
  driverCode: string;
  /**
   * What the logs may keep of the driver's message. Null where that message can echo bound
   * values (duplicate entries, bad values): the mapped message says enough there.
   */
  logMessage: string | null;
  /** A connection that failed like this must not go back to the pool. */
  connectionBroken: boolean;
}

export interface DriverErrorContext {
  /** The statement, used only to name the table of a duplicate key (`INSERT INTO users ...`). */
  sql?: string;
}

const isDriverError = (value: unknown): value is DriverErrorShape & Error =>
  value instanceof Error && ('code' in value || 'errno' in value || 'sqlMessage' in value);

/** Network and pool states in which the server cannot be reached right now. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT', // mysql2's connectTimeout
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
]);

/** Server errors (by errno) meaning "the database is not there for us right now". */
const UNAVAILABLE_ERRNOS = new Set([
  1040, // ER_CON_COUNT_ERROR
  1203, // ER_TOO_MANY_USER_CONNECTIONS
  1053, // ER_SERVER_SHUTDOWN
  1927, // ER_CONNECTION_KILLED
  1045, // ER_ACCESS_DENIED_ERROR: configured credentials do not work
  1044, // ER_DBACCESS_DENIED_ERROR
  1049, // ER_BAD_DB_ERROR: the app's database is gone
  1129, // ER_HOST_IS_BLOCKED
  1130, // ER_HOST_NOT_PRIVILEGED
]);

const TIMEOUT_ERRNOS = new Set([
  1969, // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
  3024, // ER_QUERY_TIMEOUT (MySQL max_execution_time)
  1205, // ER_LOCK_WAIT_TIMEOUT
]);

/** Messages that mysql2 raises without a code when the pool or connection is closed. */
const CLOSED_MESSAGES = ['Pool is closed.', "Can't add new command when connection is in closed state"];

const DUP_ENTRY = 1062;
const DEADLOCK = 1213;
const NO_REFERENCED_ROW = new Set([1452, 1216]);
const ROW_IS_REFERENCED = new Set([1451, 1217]);

/** `Data too long for column 'name' at row 1`, `Column 'title' cannot be null`, ... */
const QUOTED_COLUMN = /(?:column|Column|Field) '([^']+)'/;
/** MariaDB: `... for column `db`.`table`.`col` at row 1`. */
const QUALIFIED_COLUMN = /for column `[^`]*`\.`([^`]*)`\.`([^`]*)`/;
/** `Duplicate entry 'x' for key 'email'` (MariaDB) or `... for key 'users.email'` (MySQL 8). */
const DUP_KEY = /for key '([^']+)'\s*$/;
/** `... fails (`db`.`tasks`, CONSTRAINT `fk` FOREIGN KEY (`project_id`) REFERENCES `projects` (`id`) ...)`. */
const FOREIGN_KEY = /`[^`]*`\.`([^`]+)`, CONSTRAINT `[^`]*` FOREIGN KEY \(([^)]*)\) REFERENCES `([^`]+)`/;
/** MariaDB CHECK: `CONSTRAINT `chk_color` failed for `db`.`t``. */
const CHECK_CONSTRAINT = /CONSTRAINT `([^`]+)` failed/;
/** The table a write statement targets, to qualify a key name. */
const WRITE_TARGET =
  /^\s*(?:INSERT(?:\s+IGNORE)?(?:\s+INTO)?|REPLACE(?:\s+INTO)?|UPDATE(?:\s+IGNORE)?)\s+`?(?:[A-Za-z0-9_$]+`?\.`?)?([A-Za-z0-9_$]+)`?/i;

const columnList = (text: string): string => text.replace(/`/g, '').replace(/\s+/g, '');

/** A short id that the caller sees and the logs keep beside the real cause. */
export const newErrorRef = (): string => randomBytes(6).toString('hex');

const mapped = (
  error: SogomsError,
  driverCode: string,
  logMessage: string | null,
  connectionBroken = false,
): MappedDriverError => ({ error, driverCode, logMessage, connectionBroken });

const validation = (errno: number, driverCode: string, text: string): MappedDriverError => {
  const qualified = QUALIFIED_COLUMN.exec(text);
  const field = qualified ? qualified[2] : QUOTED_COLUMN.exec(text)?.[1];
  const table = qualified?.[1];
  let message: string;
  switch (errno) {
    case 1406:
      message = field ? `Value too long for ${field}` : 'Value too long';
      break;
    case 1048:
      message = field ? `${field} must not be null` : 'A required value is null';
      break;
    case 1364:
      message = field ? `${field} is required` : 'A required value is missing';
      break;
    case 1264:
    case 1690:
      message = field ? `Value out of range for ${field}` : 'Value out of range';
      break;
    case 4025:
    case 3819: {
      const check = CHECK_CONSTRAINT.exec(text)?.[1] ?? /Check constraint '([^']+)'/.exec(text)?.[1];
      return mapped(
        new SogomsError('VALIDATION_FAILED', check ? `Check ${check} failed` : 'A check constraint failed', {
          constraint: check ?? null,
        }),
        driverCode,
        null,
      );
    }
    default:
      message = field ? `Invalid value for ${field}` : 'Invalid value';
  }
  const details: Record<string, string> = {};
  if (table) details.table = table;
  if (field) details.field = field;
  return mapped(new SogomsError('VALIDATION_FAILED', message, details), driverCode, null);
};

const VALIDATION_ERRNOS = new Set([
  1406, // ER_DATA_TOO_LONG
  1048, // ER_BAD_NULL_ERROR
  1364, // ER_NO_DEFAULT_FOR_FIELD
  1366, // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
  1292, // ER_TRUNCATED_WRONG_VALUE (bad date)
  1265, // WARN_DATA_TRUNCATED (e.g. not an ENUM member)
  1264, // ER_WARN_DATA_OUT_OF_RANGE
  1690, // ER_DATA_OUT_OF_RANGE
  1367, // ER_ILLEGAL_VALUE_FOR_TYPE
  1411, // ER_WRONG_VALUE_FOR_TYPE
  1918, // ER_BAD_DATA (MariaDB)
  4025, // ER_CONSTRAINT_FAILED (MariaDB CHECK)
  3819, // ER_CHECK_CONSTRAINT_VIOLATED (MySQL CHECK)
  4078, // ER_ILLEGAL_PARAMETER_DATA_TYPE_FOR_OPERATION
]);

/**
 * Maps anything thrown while talking to the database. A SogomsError passes through unchanged.
 * Unknown errors (syntax, unknown column or table, a bug of ours) become INTERNAL with a generic
 * message and a `ref` that the logs keep beside the driver's message.
 */
export const mapDriverError = (thrown: unknown, context: DriverErrorContext = {}): MappedDriverError => {
  if (thrown instanceof SogomsError) return mapped(thrown, thrown.code, null);
  if (!isDriverError(thrown)) {
    const ref = newErrorRef();
    const text = thrown instanceof Error ? thrown.message : String(thrown);
    if (CLOSED_MESSAGES.includes(text)) {
      return mapped(new SogomsError('UNAVAILABLE', 'Database is unavailable'), 'POOL_CLOSED', text, true);
    }
    return mapped(new SogomsError('INTERNAL', 'Database statement failed', { ref }), 'UNKNOWN', text);
  }

  const driver = thrown;
  const text = driver.sqlMessage ?? driver.message ?? '';
  const driverCode = driver.code ?? (driver.errno === undefined ? 'UNKNOWN' : String(driver.errno));

  if (driver.code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
    return mapped(new SogomsError('TIMEOUT', 'Database statement timed out'), driverCode, text, true);
  }
  if ((driver.code && UNAVAILABLE_CODES.has(driver.code)) || CLOSED_MESSAGES.includes(text)) {
    return mapped(new SogomsError('UNAVAILABLE', 'Database is unavailable'), driverCode, text, true);
  }
  if (driver.errno === undefined) {
    const ref = newErrorRef();
    return mapped(
      new SogomsError('INTERNAL', 'Database statement failed', { ref }),
      driverCode,
      text,
      driver.fatal === true,
    );
  }
  if (UNAVAILABLE_ERRNOS.has(driver.errno)) {
    return mapped(
      new SogomsError('UNAVAILABLE', 'Database is unavailable'),
      driverCode,
      text,
      driver.fatal === true,
    );
  }
  if (TIMEOUT_ERRNOS.has(driver.errno)) {
    const message =
      driver.errno === 1205 ? 'Timed out waiting for a row lock' : 'Database statement timed out';
    return mapped(new SogomsError('TIMEOUT', message), driverCode, text);
  }
  if (driver.errno === DUP_ENTRY) {
    const key = DUP_KEY.exec(text)?.[1] ?? null;
    // MySQL 8 qualifies the key with its table; MariaDB does not, so take it from the statement.
    const [keyTable, keyName] = key?.includes('.') ? key.split('.', 2) : [null, key];
    const table = keyTable ?? WRITE_TARGET.exec(context.sql ?? '')?.[1] ?? null;
    let message: string;
    if (keyName === 'PRIMARY')
      message = table ? `Duplicate primary key for ${table}` : 'Duplicate primary key';
    else if (keyName) message = `Duplicate value for ${table ? `${table}.` : ''}${keyName}`;
    else message = 'Duplicate value';
    return mapped(new SogomsError('CONFLICT', message, { table, key: keyName }), driverCode, null);
  }
  if (driver.errno === DEADLOCK) {
    return mapped(
      new SogomsError('CONFLICT', 'Concurrent update conflict; retry the request', { retryable: true }),
      driverCode,
      text,
    );
  }
  if (NO_REFERENCED_ROW.has(driver.errno) || ROW_IS_REFERENCED.has(driver.errno)) {
    const fk = FOREIGN_KEY.exec(text);
    const table = fk?.[1] ?? null;
    const field = fk ? columnList(fk[2]) : null;
    const references = fk?.[3] ?? null;
    const where = table && field ? ` (${table}.${field})` : '';
    const message = NO_REFERENCED_ROW.has(driver.errno)
      ? `Referenced ${references ?? 'row'} does not exist${where}`
      : `Row is still referenced${table && field ? ` by ${table}.${field}` : ''}`;
    return mapped(new SogomsError('CONSTRAINT', message, { table, field, references }), driverCode, text);
  }
  if (VALIDATION_ERRNOS.has(driver.errno)) return validation(driver.errno, driverCode, text);

  const ref = newErrorRef();
  return mapped(
    new SogomsError('INTERNAL', 'Database statement failed', { ref }),
    driverCode,
    text,
    driver.fatal === true,
  );
};
