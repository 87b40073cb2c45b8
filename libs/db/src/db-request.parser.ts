import { isRecord, SogomsError } from '@sogoms/common';
import type {
  DbIntrospectRequest,
  DbPingRequest,
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
