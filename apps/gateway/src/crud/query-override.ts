import type { TokenClaims } from '@sogoms/auth';
import type { Row, SqlValue } from '@sogoms/ipc';
import { bindNamedParams, type CompiledSql, type CrudOp } from '@sogoms/schema';
import type { CompiledField, CompiledTable } from './compiled-table.js';
import { DEFAULT_QUERY_ROLE } from './query-overrides.loader.js';
import type { SqlStatement, WriteValue } from './sql-builder.js';

/** The SQL of `queries/{table}.yaml` for this op and the caller's role (else `default`), if any. */
export const pickOverride = (
  table: CompiledTable,
  op: CrudOp,
  caller: TokenClaims | null,
): CompiledSql | null => {
  const roles = table.overrides.get(op);
  if (roles === undefined) return null;
  return (caller === null ? undefined : roles.get(caller.role)) ?? roles.get(DEFAULT_QUERY_ROLE) ?? null;
};

/** The request values an override may bind (checked against its op when the file was loaded). */
export interface OverrideValues {
  app: string;
  caller: TokenClaims | null;
  paging?: { limit: number; offset: number };
  query?: Record<string, unknown>;
  path?: { id: string; key: readonly SqlValue[] };
  /** Decoded body values; a field not given (or set back to DEFAULT by a PUT) binds NULL. */
  body?: ReadonlyMap<CompiledField, WriteValue> | ReadonlyMap<CompiledField, SqlValue>;
}

const bodyValue = (body: OverrideValues['body'], field: CompiledField): SqlValue => {
  const value: unknown = body?.get(field);
  if (value === undefined || value === 'default') return null;
  // An update's values are `{ value }`; a create's are the values themselves.
  if (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !Buffer.isBuffer(value) &&
    'value' in value
  )
    return (value as { value: SqlValue }).value;
  return value as SqlValue;
};

/** Binds an override's `:placeholders` from the request, caller and app. */
export const bindOverride = (
  table: CompiledTable,
  sql: CompiledSql,
  values: OverrideValues,
): SqlStatement => {
  const bound: Record<string, SqlValue> = {};
  for (const name of sql.params) {
    if (name === 'user_id') bound[name] = values.caller?.sub ?? null;
    else if (name === 'role') bound[name] = values.caller?.role ?? null;
    else if (name === 'email') bound[name] = values.caller?.email ?? null;
    else if (name === 'app') bound[name] = values.app;
    else if (name === 'limit' || name === 'offset') bound[name] = values.paging?.[name] ?? null;
    else if (name.startsWith('query.')) {
      const raw = values.query?.[name.slice('query.'.length)];
      bound[name] = typeof raw === 'string' ? raw : null;
    } else if (name === 'path.id') bound[name] = values.path?.id ?? null;
    else if (name.startsWith('path.')) {
      const index = table.key.findIndex((k) => k.name === name.slice('path.'.length));
      bound[name] = values.path?.key[index] ?? null;
    } else if (name.startsWith('body.')) {
      const field = table.fields.get(name.slice('body.'.length));
      bound[name] = field === undefined ? null : bodyValue(values.body, field);
    } else bound[name] = null;
  }
  return { sql: sql.sql, params: bindNamedParams(sql, bound) };
};

/** Names of the `:query.x` placeholders: the query parameters an overridden list accepts. */
export const overrideQueryNames = (sql: CompiledSql): string[] =>
  sql.params.filter((p) => p.startsWith('query.')).map((p) => p.slice('query.'.length));

/**
 * A row of an override's SELECT: columns named like a field get its JSON form, hidden fields are
 * dropped (never returned, whatever the SQL selects), other columns pass as the driver gave them.
 */
export const serializeOverrideRow = (table: CompiledTable, row: Row): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    const field = table.fields.get(column);
    if (field === undefined) out[column] = value;
    else if (table.visible.includes(field)) out[column] = field.codec.toJson(value, row);
  }
  return out;
};
