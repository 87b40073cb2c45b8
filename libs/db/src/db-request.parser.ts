import { isRecord, SogomsError } from '@sogoms/common';
import type {
  DbIntrospectRequest,
  DbPingRequest,
  DbProbeRequest,
  DbStatementRequest,
  DbTransactionRequest,
  SqlValue,
  TransactionStatement,
} from '@sogoms/ipc';

/**
 * Checks what arrives over IPC before it reaches the driver. Values must be scalars (or one level
 * of scalars, for `IN (?)`): a plain object would let mysql2 expand it into `key = value` SQL.
 * Buffers cross IPC as `{type:'Buffer', data:[...]}` (their JSON form) and are revived here.
 */

const bad = (message: string): SogomsError => new SogomsError('BAD_REQUEST', message);

const isBufferJson = (value: Record<string, unknown>): value is { type: 'Buffer'; data: number[] } =>
  value.type === 'Buffer' && Array.isArray(value.data) && value.data.every((byte) => Number.isInteger(byte));

const scalar = (value: unknown, where: string): SqlValue => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw bad(`${where} is not a finite number`);
    return value;
  }
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  if (isRecord(value) && isBufferJson(value)) return Buffer.from(value.data);
  throw bad(`${where} must be a string, number, boolean, null or binary value`);
};

const sqlValue = (value: unknown, where: string): SqlValue => {
  if (!Array.isArray(value)) return scalar(value, where);
  if (value.length === 0) throw bad(`${where} is an empty list`);
  return value.map((item: unknown, i) => scalar(item, `${where}[${i}]`));
};

const params = (value: unknown, where: string): SqlValue[] => {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw bad(`${where}.params must be a list`);
  return value.map((item: unknown, i) => sqlValue(item, `${where}.params[${i}]`));
};

const sql = (value: unknown, where: string): string => {
  if (typeof value !== 'string' || value.trim() === '') throw bad(`${where}.sql must be a non-empty string`);
  return value;
};

const appName = (value: unknown): string => {
  if (typeof value !== 'string' || value === '') throw bad('app must be a non-empty string');
  return value;
};

export const parseStatementRequest = (payload: unknown): DbStatementRequest => {
  if (!isRecord(payload)) throw bad('Request must be an object');
  return {
    app: appName(payload.app),
    sql: sql(payload.sql, 'statement'),
    params: params(payload.params, 'statement'),
  };
};

export const parseTransactionRequest = (payload: unknown): DbTransactionRequest => {
  if (!isRecord(payload)) throw bad('Request must be an object');
  const app = appName(payload.app);
  if (!Array.isArray(payload.statements) || payload.statements.length === 0) {
    throw bad('statements must be a non-empty list');
  }
  const statements = payload.statements.map((item: unknown, i): TransactionStatement => {
    const where = `statements[${i}]`;
    if (!isRecord(item)) throw bad(`${where} must be an object`);
    const kind = item.kind ?? 'rows';
    if (kind !== 'rows' && kind !== 'write') throw bad(`${where}.kind must be 'rows' or 'write'`);
    return { sql: sql(item.sql, where), params: params(item.params, where), kind };
  });
  return { app, statements };
};

export const parsePingRequest = (payload: unknown): DbPingRequest => {
  if (payload === undefined || payload === null) return {};
  if (!isRecord(payload)) throw bad('Request must be an object');
  return payload.app === undefined || payload.app === null ? {} : { app: appName(payload.app) };
};

export const parseIntrospectRequest = (payload: unknown): DbIntrospectRequest => {
  if (!isRecord(payload)) throw bad('Request must be an object');
  return { app: appName(payload.app) };
};

const probeText = (value: unknown, field: string, rules: { empty?: boolean } = {}): string => {
  if (typeof value !== 'string' || (rules.empty !== true && value === ''))
    throw new SogomsError(
      'BAD_REQUEST',
      `database.${field} must be a ${rules.empty ? '' : 'non-empty '}string`,
      {
        field,
      },
    );
  return value;
};

/** `db.probe`: a MariaDB database by its settings (not an app), statements, whether to read its catalog. */
export const parseProbeRequest = (payload: unknown): DbProbeRequest => {
  if (!isRecord(payload)) throw bad('Request must be an object');
  const database = payload.database;
  if (!isRecord(database)) throw bad('database must be an object {host, port, user, password, name}');
  const port = database.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
    throw new SogomsError('BAD_REQUEST', 'database.port must be a whole number from 1 to 65535', {
      field: 'port',
    });
  const statements = payload.statements ?? [];
  if (!Array.isArray(statements)) throw bad('statements must be a list of SQL strings');
  const introspect = payload.introspect ?? false;
  if (typeof introspect !== 'boolean') throw bad('introspect must be true or false');
  return {
    database: {
      host: probeText(database.host, 'host'),
      port,
      user: probeText(database.user, 'user'),
      password: probeText(database.password ?? '', 'password', { empty: true }),
      name: probeText(database.name, 'name'),
    },
    statements: statements.map((item: unknown, i) => {
      if (typeof item !== 'string' || item.trim() === '')
        throw bad(`statements[${i}] must be a non-empty SQL string`);
      return item;
    }),
    introspect,
  };
};
