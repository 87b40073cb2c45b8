import { isRecord, SogomsError } from '@sogoms/common';
import type { SqlValue } from '@sogoms/ipc';
import type { CompiledField, CompiledTable } from './compiled-table.js';
import { InvalidValueError } from './field-codec.js';
import { sealValue } from './field-encryption.js';
import type { WriteValue } from './sql-builder.js';

type Problems = Record<string, string[]>;

/** Who writes: the owner value a create must store (null when the table has no owner rule). */
export interface WriteOwner {
  /** The token user's value of the owner field. */
  value: SqlValue;
  /** An `owner_bypass` role may create rows for someone else. */
  bypass: boolean;
}

const add = (problems: Problems, key: string, message: string): void => {
  (problems[key] ??= []).push(message);
};

const decode = (
  field: CompiledField,
  value: unknown,
  key: string,
  problems: Problems,
): SqlValue | undefined => {
  try {
    return field.codec.fromJson(value);
  } catch (error) {
    if (!(error instanceof InvalidValueError)) throw error;
    add(problems, key, `${field.name} ${error.message}`);
    return undefined;
  }
};

/** Every body key names a field that may be written; anything else is a problem. */
const writableEntries = (
  table: CompiledTable,
  body: Record<string, unknown>,
  prefix: string,
  problems: Problems,
): [CompiledField, unknown][] => {
  const entries: [CompiledField, unknown][] = [];
  for (const [name, value] of Object.entries(body)) {
    const field = table.fields.get(name);
    const key = `${prefix}${name}`;
    // Hidden fields are refused exactly like unknown ones: the API never reveals them.
    if (field === undefined || !table.visible.includes(field)) add(problems, key, `unknown field ${name}`);
    else entries.push([field, value]);
  }
  return entries;
};

/**
 * A create body → the values to insert. The owner field is set from the token whatever the body
 * says (an owner_bypass role may name another owner); auto and readonly fields are refused;
 * required fields and non-auto key fields must be given.
 */
export const parseCreateBody = (
  table: CompiledTable,
  body: unknown,
  owner: WriteOwner | null,
  prefix: string,
  problems: Problems,
): Map<CompiledField, SqlValue> => {
  const values = new Map<CompiledField, SqlValue>();
  if (!isRecord(body)) {
    add(problems, prefix === '' ? 'body' : prefix.slice(0, -1), 'must be a JSON object');
    return values;
  }
  for (const [field, raw] of writableEntries(table, body, prefix, problems)) {
    if (field === table.owner && owner !== null && !owner.bypass) continue;
    if (!field.writable) {
      add(problems, `${prefix}${field.name}`, `${field.name} is read-only`);
      continue;
    }
    const value = decode(field, raw, `${prefix}${field.name}`, problems);
    if (value !== undefined) values.set(field, value);
  }
  if (table.owner !== null && owner !== null && !values.has(table.owner))
    values.set(table.owner, owner.value);
  for (const field of table.fields.values()) {
    const needed = (field.def.required && !field.def.auto) || (table.key.includes(field) && !field.def.auto);
    if (needed && !values.has(field) && !(`${prefix}${field.name}` in problems))
      add(problems, `${prefix}${field.name}`, `${field.name} is required`);
  }
  return sealCreateValues(values);
};

/** Encrypted fields' plaintexts → envelopes, with their blind index beside them. */
const sealCreateValues = (values: Map<CompiledField, SqlValue>): Map<CompiledField, SqlValue> => {
  for (const [field, value] of [...values]) {
    if (field.encryption === null) continue;
    const sealed = sealValue(field.encryption, value);
    values.set(field, sealed.stored);
    if (field.blindIndex !== null) values.set(field.blindIndex, sealed.index);
  }
  return values;
};

/** sealCreateValues for an update's SET list (a DEFAULT resets the blind index too). */
const sealUpdateValues = (values: Map<CompiledField, WriteValue>): Map<CompiledField, WriteValue> => {
  for (const [field, write] of [...values]) {
    if (field.encryption === null) continue;
    if (write === 'default') {
      if (field.blindIndex !== null) values.set(field.blindIndex, 'default');
      continue;
    }
    const sealed = sealValue(field.encryption, write.value);
    values.set(field, { value: sealed.stored });
    if (field.blindIndex !== null) values.set(field.blindIndex, { value: sealed.index });
  }
  return values;
};

/**
 * An update body → the SET list. `replace` (PUT) writes every writable field: absent ones go back
 * to their DEFAULT, absent required ones are a problem; `patch` writes what is given (at least
 * one). The key and the owner field never change: a key value equal to the path's is accepted
 * (a PUT of a row as read), the owner field is ignored.
 */
export const parseUpdateBody = (
  table: CompiledTable,
  body: unknown,
  key: readonly SqlValue[],
  mode: 'patch' | 'replace',
): Map<CompiledField, WriteValue> => {
  const problems: Problems = {};
  const values = new Map<CompiledField, WriteValue>();
  if (!isRecord(body)) throw new SogomsError('VALIDATION_FAILED', 'Request body must be a JSON object');
  for (const [field, raw] of writableEntries(table, body, '', problems)) {
    if (field === table.owner) continue;
    const keyIndex = table.key.indexOf(field);
    if (keyIndex !== -1) {
      const value = decode(field, raw, field.name, problems);
      if (value !== undefined && String(value) !== String(key[keyIndex]))
        add(problems, field.name, `${field.name} is part of the key and cannot change`);
      continue;
    }
    if (!field.writable) {
      add(problems, field.name, `${field.name} is read-only`);
      continue;
    }
    const value = decode(field, raw, field.name, problems);
    if (value !== undefined) values.set(field, { value });
  }
  if (mode === 'replace') {
    for (const field of table.fields.values()) {
      if (!field.writable || field === table.owner || table.key.includes(field) || values.has(field))
        continue;
      if (field.name in problems) continue;
      if (field.def.required) add(problems, field.name, `${field.name} is required`);
      else values.set(field, 'default');
    }
  }
  if (Object.keys(problems).length > 0)
    throw new SogomsError('VALIDATION_FAILED', 'Invalid request body', problems);
  if (values.size === 0) throw new SogomsError('VALIDATION_FAILED', 'Request body has no field to change');
  return sealUpdateValues(values);
};
