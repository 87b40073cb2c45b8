import type { FieldDef, TableDef } from '@sogoms/schema';
import { isHidden, isWritable } from './data-dictionary.js';

/** A JSON Schema (OpenAPI 3.1 dialect) as plain data. */
export type JsonSchema = { [key: string]: unknown };

const SIGNED_BITS: Record<string, number> = { tinyint: 8, smallint: 16, mediumint: 24, int: 32, integer: 32 };

/** `out`: a value as the API answers it; `in`: a value a create or update may send. */
type Direction = 'out' | 'in';

const intRange = (field: FieldDef): { minimum: number; maximum: number } => {
  const bits = SIGNED_BITS[field.dbType ?? 'int'] ?? 32;
  const size = 2 ** bits;
  return field.unsigned ? { minimum: 0, maximum: size - 1 } : { minimum: -size / 2, maximum: size / 2 - 1 };
};

/** The schema of one value of `field`, without nullability (see fieldSchema). */
const baseSchema = (field: FieldDef, direction: Direction): JsonSchema => {
  const input = direction === 'in';
  switch (field.type) {
    case 'int':
      return input ? { type: 'integer', ...intRange(field) } : { type: 'integer' };
    case 'year':
      return input ? { type: 'integer', minimum: 1901, maximum: 2155 } : { type: 'integer' };
    case 'bigint':
      // As a string in answers (no precision lost); a create may send a safe integer too.
      return input
        ? { type: ['string', 'integer'], pattern: '^[+-]?\\d+$', description: 'a string beyond 2^53' }
        : { type: 'string', pattern: '^-?\\d+$' };
    case 'decimal': {
      const shape = `DECIMAL(${field.precision ?? 10},${field.scale ?? 0})`;
      return input
        ? { type: ['string', 'number'], pattern: '^[+-]?\\d*\\.?\\d+$', description: `${shape}, e.g. "4.99"` }
        : { type: 'string', description: shape };
    }
    case 'float':
      return { type: 'number' };
    case 'bool':
      return { type: 'boolean' };
    case 'string':
      return field.length !== undefined && input
        ? { type: 'string', maxLength: field.length }
        : { type: 'string' };
    case 'text':
      return { type: 'string' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'time':
      return { type: 'string', pattern: '^-?\\d{2,3}:\\d{2}:\\d{2}(\\.\\d+)?$', description: 'HH:MM:SS' };
    case 'enum':
      return { type: 'string', enum: [...(field.values ?? [])] };
    case 'set':
      return { type: 'array', items: { type: 'string', enum: [...(field.values ?? [])] }, uniqueItems: true };
    case 'json':
      return { description: 'any JSON value' };
    case 'binary':
      return { type: 'string', contentEncoding: 'base64' };
    case 'geometry':
      return { type: 'string', description: `WKT text (${(field.dbType ?? 'geometry').toUpperCase()})` };
  }
};

const withNull = (schema: JsonSchema): JsonSchema => {
  if (schema.type === undefined) return schema; // json: any value, null included
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  const out: JsonSchema = { ...schema, type: [...types, 'null'] };
  if (Array.isArray(schema.enum)) out.enum = [...(schema.enum as unknown[]), null];
  return out;
};

const isLiteral = (value: FieldDef['default']): value is string | number | boolean | null =>
  value === null || typeof value !== 'object';

/** The filters an encrypted field takes: equality through its blind index when searchable, else null only. */
export const encryptedFilters = (field: FieldDef): string[] =>
  field.searchable === true ? ['eq', 'in', 'null'] : ['null'];

const encryptionNote = (field: FieldDef): string =>
  `encrypted at rest (AES-256-GCM); filter: ${encryptedFilters(field).join(', ')}; no like, no sort`;

/** The JSON Schema of a field in one direction: type, constraints, nullability, comment, default. */
export const fieldSchema = (field: FieldDef, direction: Direction): JsonSchema => {
  let schema = baseSchema(field, direction);
  if (field.nullable) schema = withNull(schema);
  const notes: string[] = [];
  if (typeof schema.description === 'string') notes.push(schema.description);
  if (field.comment !== undefined) notes.push(field.comment);
  if (field.encrypted === true) notes.push(encryptionNote(field));
  const out: JsonSchema = { ...schema };
  if (field.encrypted === true) {
    out['x-encrypted'] = true;
    out['x-filters'] = encryptedFilters(field);
  }
  delete out.description;
  if (notes.length > 0) out.description = notes.join('; ');
  if (direction === 'out' && (field.auto || field.readonly)) out.readOnly = true;
  if (direction === 'in' && field.default !== undefined && isLiteral(field.default))
    out.default = field.default;
  return out;
};

/** A row as answered: every field that is not hidden. */
export const rowSchema = (table: TableDef): JsonSchema => {
  const fields = table.fields.filter((f) => !isHidden(f));
  return {
    type: 'object',
    properties: Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f, 'out')])),
    ...(table.comment === undefined ? {} : { description: table.comment }),
  };
};

/** The owner field of an owner-filtered table: set from the token, so never required of a caller. */
const ownerField = (table: TableDef): string | null => (table.filter === 'owner' ? table.ownerField : null);

/**
 * A create (`full`: also PUT) or a PATCH body: the writable fields. Unknown fields are refused
 * by the engine, hence `additionalProperties: false`. A create must give every `required`
 * field except the owner field, which the engine fills from the token.
 */
export const writeSchema = (table: TableDef, full: boolean): JsonSchema => {
  const fields = table.fields.filter(isWritable);
  const owner = ownerField(table);
  const required = full ? fields.filter((f) => f.required && f.name !== owner).map((f) => f.name) : [];
  const properties = Object.fromEntries(
    fields.map((f) => {
      const schema = fieldSchema(f, 'in');
      if (f.name === owner)
        schema.description = 'set from the token: whatever is sent, the caller owns the row';
      return [f.name, schema];
    }),
  );
  return {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
};
