import type { Row } from '@sogoms/ipc';

/**
 * Values as a JSON transport delivers them (`JSON.parse(JSON.stringify(value))`), computed
 * without the text round trip where the value is one of the driver's usual types, so that a
 * caller of the db module in its own process gets exactly what it would get over IPC.
 */

const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * `date.toJSON()`, formatted here for the years 1000–9999: V8's toISOString takes about three
 * times as long, and a list of rows holds many DATETIME values. Invalid dates are null, other
 * years (and Date subclasses, which may have their own toJSON) go through toJSON itself.
 */
export const isoDate = (date: Date): string | null => {
  if (Object.getPrototypeOf(date) !== Date.prototype) return date.toJSON();
  if (!Number.isFinite(date.getTime())) return null;
  const year = date.getUTCFullYear();
  if (year < 1000 || year > 9999) return date.toISOString();
  return (
    `${year}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}T${two(date.getUTCHours())}:` +
    `${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.${three(date.getUTCMilliseconds())}Z`
  );
};

/** A value for which the cheap conversion does not apply: it goes through JSON itself. */
const viaJson = (value: unknown): unknown => {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
};

const isPlainObject = (value: object): value is Record<string, unknown> => {
  const prototype: unknown = Object.getPrototypeOf(value);
  return (
    (prototype === Object.prototype || prototype === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
};

/** A plain object as a new object: its own enumerable keys, those JSON would drop left out. */
const wireObject = (value: Record<string, unknown>): Record<string, unknown> => {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const wire = wireValue(value[key]);
    if (wire !== undefined) copy[key] = wire;
  }
  return copy;
};

/** One value (a property of an object, not an array element: `undefined` means "drop the key"). */
export const wireValue = (value: unknown): unknown => {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // JSON has neither NaN, ±Infinity nor -0.
      return Number.isFinite(value) ? value + 0 : null;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      if (value === null) return null;
      // toJSON: an ISO string (null for an invalid date), `{type:'Buffer', data:[...]}`.
      if (value instanceof Date) return isoDate(value);
      if (Buffer.isBuffer(value)) return value.toJSON();
      if (Array.isArray(value)) return value.map((item) => wireValue(item) ?? null);
      if (isPlainObject(value)) return wireObject(value);
      return viaJson(value);
    case 'bigint':
      // JSON.stringify throws, as the transport's encoder would.
      return viaJson(value);
  }
};

/** Rows from the driver, converted in place (they are fresh objects no one else holds). */
export const wireRows = (rows: Row[]): Row[] => {
  for (const row of rows) wireRow(row);
  return rows;
};

export const wireRow = (row: Row): Row => {
  // for...in: a driver row is a plain object literal, nothing inherited to skip.
  for (const key in row) {
    const value = row[key];
    // Strings, null and finite non-zero numbers are most columns: they stay as they are.
    if (typeof value === 'string' || value === null) continue;
    if (typeof value === 'number') {
      if (value === 0 || !Number.isFinite(value)) row[key] = wireValue(value);
      continue;
    }
    if (value instanceof Date) {
      row[key] = isoDate(value);
      continue;
    }
    const wire = wireValue(value);
    if (wire === undefined) delete row[key];
    else row[key] = wire;
  }
  return row;
};
