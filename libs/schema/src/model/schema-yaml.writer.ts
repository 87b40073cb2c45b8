import { isRecord } from '@sogoms/common';
import { Document } from 'yaml';
import type {
  FieldDef,
  ForeignRef,
  IndexDef,
  NamedFilter,
  RelationDef,
  SchemaDef,
  TableDef,
} from '../schema.types.js';
import { formatOrderClause } from './order-clause.js';
import { DEFAULT_OWNER_FIELD, defaultCrud } from './schema-defaults.js';
import { compareText } from './schema-finding.js';

/** No timestamp and no version number: the same model must give the same bytes. */
export const SCHEMA_YAML_HEADER = [
  ' schema.yaml: the tables this app serves (format: docs/schema.md).',
  ' Written by `sogoms schema scan` from the database; edit freely: a re-scan keeps the options',
  ' set here (crud, public, filters, relations, ...) and takes column facts from the database.',
].join('\n');

/** Widest line (prettier's printWidth) an entry may take in flow style `{ type: int, ... }`. */
const MAX_LINE = 110;

type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

/**
 * The model as schema.yaml text: tables by name, fields in column order, indexes by name, keys in
 * the order docs/schema.md lists them, keys at their default left out, short entries on one line.
 * Deterministic, and `parseSchemaYaml(writeSchemaYaml(s))` gives `s` back for a valid model in
 * the parser's canonical form (see testing/schema.factory.ts).
 */
export const writeSchemaYaml = (schema: SchemaDef): string => {
  const tables: Record<string, Plain> = {};
  for (const table of [...schema.tables].sort((a, b) => compareText(a.name, b.name))) {
    tables[table.name] = tablePlain(table);
  }
  const lines = SCHEMA_YAML_HEADER.split('\n').map((line) => `#${line}`);
  lines.push('', `version: ${schema.version}`);
  if (Object.keys(tables).length === 0) lines.push('tables: {}');
  else {
    lines.push('tables:');
    for (const [name, table] of Object.entries(tables)) {
      lines.push(`  ${scalar(name)}:`);
      for (const [key, value] of Object.entries(table as Record<string, Plain>)) {
        if (!isMapping(value)) emit(lines, '    ', key, value);
        else if (Object.keys(value).length === 0) lines.push(`    ${key}: {}`);
        else {
          lines.push(`    ${key}:`);
          // Fields, indexes, relations, filters: `name: { ... }` when it fits, else a block.
          for (const [entryName, entry] of Object.entries(value))
            emitEntry(lines, '      ', entryName, entry);
        }
      }
    }
  }
  return `${lines.join('\n')}\n`;
};

const tablePlain = (table: TableDef): Plain => {
  const out: Record<string, Plain> = {};
  if (table.comment !== undefined) out.comment = table.comment;
  if (table.view) out.view = true;
  const composite = table.primary.length > 1;
  if (composite) out.primary = [...table.primary];
  if (!sameList(table.crud, defaultCrud(table.view, table.primary))) out.crud = [...table.crud];
  if (table.public.length > 0) out.public = [...table.public];
  if (table.filter !== undefined) out.filter = table.filter;
  if (table.ownerField !== DEFAULT_OWNER_FIELD) out.owner_field = table.ownerField;
  if (table.ownerBypass.length > 0) out.owner_bypass = [...table.ownerBypass];
  if (table.order.length > 0) out.order = formatOrderClause(table.order);
  const fields: Record<string, Plain> = {};
  for (const field of table.fields) fields[field.name] = fieldPlain(field, !composite);
  out.fields = fields;
  if (table.indexes.length > 0) {
    const indexes: Record<string, Plain> = {};
    for (const index of [...table.indexes].sort((a, b) => compareText(a.name, b.name))) {
      indexes[index.name] = indexPlain(index);
    }
    out.indexes = indexes;
  }
  if (table.relations.length > 0)
    out.relations = Object.fromEntries(table.relations.map((r) => [r.name, relationPlain(r)]));
  if (table.filters.length > 0)
    out.filters = Object.fromEntries(table.filters.map((f) => [f.name, filterPlain(f)]));
  return out;
};

/** `primaryFlag`: the key is given by `primary: true` on its field (not by the table's list). */
const fieldPlain = (field: FieldDef, primaryFlag: boolean): Plain => {
  const out: Record<string, Plain> = { type: field.type };
  if (field.dbType !== undefined) out.db_type = field.dbType;
  if (field.length !== undefined) out.length = field.length;
  if (field.precision !== undefined) out.precision = field.precision;
  const impliedScale = field.type === 'decimal' && field.precision !== undefined && field.scale === 0;
  if (field.scale !== undefined && !impliedScale) out.scale = field.scale;
  if (field.values !== undefined) out.values = [...field.values];
  if (field.unsigned) out.unsigned = true;
  if (field.primary && primaryFlag) out.primary = true;
  if (field.auto) out.auto = true;
  if (field.unique) out.unique = true;
  if (field.required) out.required = true;
  if (field.nullable) out.nullable = true;
  if (field.default !== undefined) {
    out.default =
      typeof field.default === 'object' && field.default !== null
        ? { sql: field.default.sql }
        : field.default;
  }
  if (field.onUpdate !== undefined) out.on_update = { sql: field.onUpdate.sql };
  if (field.foreign !== undefined) out.foreign = foreignPlain(field.foreign);
  if (field.hidden) out.hidden = true;
  if (field.readonly) out.readonly = true;
  if (field.auth !== undefined) out.auth = field.auth;
  if (field.encrypted === true) out.encrypted = true;
  if (field.searchable === true) out.searchable = true;
  if (field.comment !== undefined) out.comment = field.comment;
  return out;
};

const foreignPlain = (foreign: ForeignRef): Plain => {
  const out: Record<string, Plain> = { table: foreign.table, field: foreign.field };
  if (foreign.name !== undefined) out.name = foreign.name;
  if (foreign.onDelete !== 'restrict') out.on_delete = foreign.onDelete;
  if (foreign.onUpdate !== 'restrict') out.on_update = foreign.onUpdate;
  return out;
};

const indexPlain = (index: IndexDef): Plain => {
  const out: Record<string, Plain> = { fields: [...index.fields] };
  if (index.unique) out.unique = true;
  if (index.kind !== undefined) out.kind = index.kind;
  return out;
};

const relationPlain = (relation: RelationDef): Plain => {
  if (relation.type !== 'many_to_many') {
    const { type, table, field, references } = relation;
    const plain: Plain = { type, table, field, references };
    if (relation.type === 'belongs_to' && relation.ownerCheck === false) plain.owner_check = false;
    return plain;
  }
  const { type, table, through, field, references, targetField, targetReferences } = relation;
  return {
    type,
    table,
    through,
    field,
    references,
    target_field: targetField,
    target_references: targetReferences,
  };
};

const filterPlain = (filter: NamedFilter): Plain => ({ where: filter.where });

/** isRecord, narrowed to the writer's own plain-data type. */
const isMapping = (value: Plain): value is { [key: string]: Plain } => isRecord(value);

/**
 * One scalar as YAML flow text, quoted where YAML needs it (`'4.99'`, `'null'`, `'a, b'`). Text
 * with line breaks or control characters is double-quoted with JSON escapes, so every value stays
 * on one line.
 */
const scalar = (value: string | number | boolean | null): string => {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  // Names, types and keys: plain, unless YAML would read them as null or a boolean.
  if (typeof value === 'string' && PLAIN_WORD.test(value) && !RESERVED_WORD.test(value)) return value;
  if (typeof value === 'string' && hasControlCharacter(value)) return JSON.stringify(value);
  const doc = new Document([value]);
  const text = doc.toString({
    lineWidth: 0,
    singleQuote: true,
    flowCollectionPadding: false,
    collectionStyle: 'flow',
  });
  return text.trim().slice(1, -1);
};

const PLAIN_WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_WORD = /^(?:null|true|false|y|n|yes|no|on|off)$/i;

const hasControlCharacter = (text: string): boolean =>
  [...text].some((ch) => {
    const code = ch.codePointAt(0) ?? 0;
    return code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029;
  });

/** `[a, b]` and `{ a: b }`, as prettier writes flow collections. */
const flow = (value: Plain): string => {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (isMapping(value)) {
    const items = Object.entries(value).map(([k, v]) => `${scalar(k)}: ${flow(v)}`);
    return items.length === 0 ? '{}' : `{ ${items.join(', ')} }`;
  }
  return scalar(value);
};

/**
 * `key: value` at `indent`. A collection too wide for the line goes on the next one, and when it
 * is too wide there too, one item per line: what prettier does, so it leaves the file alone.
 */
const emit = (lines: string[], indent: string, key: string, value: Plain): void => {
  const text = flow(value);
  const line = `${indent}${scalar(key)}: ${text}`;
  if (width(line) <= MAX_LINE || !(Array.isArray(value) || isMapping(value))) {
    lines.push(line);
    return;
  }
  lines.push(`${indent}${scalar(key)}:`);
  if (indent.length + 2 + width(text) <= MAX_LINE) {
    lines.push(`${indent}  ${text}`);
    return;
  }
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  const items = Array.isArray(value)
    ? value.map(flow)
    : Object.entries(value).map(([k, v]) => `${scalar(k)}: ${flow(v)}`);
  lines.push(`${indent}  ${open}`);
  for (const item of items) lines.push(`${indent}    ${item},`);
  lines.push(`${indent}  ${close}`);
};

/** A field, index, relation or filter: one flow line when it fits, else a block of its keys. */
const emitEntry = (lines: string[], indent: string, name: string, entry: Plain): void => {
  const line = `${indent}${scalar(name)}: ${flow(entry)}`;
  if (width(line) <= MAX_LINE || !isMapping(entry)) {
    lines.push(line);
    return;
  }
  lines.push(`${indent}${scalar(name)}:`);
  for (const [key, value] of Object.entries(entry)) emit(lines, `${indent}  `, key, value);
};

/**
 * Columns a line takes the way prettier counts them: combining marks none, East Asian wide
 * characters and most emoji two.
 */
const width = (text: string): number => {
  let columns = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (/\p{Mn}|\p{Me}/u.test(ch)) continue;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x1f300 && code <= 0x1faff) ||
      (code >= 0x20000 && code <= 0x3fffd);
    columns += wide ? 2 : 1;
  }
  return columns;
};

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((item, i) => item === b[i]);
