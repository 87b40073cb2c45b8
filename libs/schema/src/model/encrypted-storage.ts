import { BLIND_INDEX_LENGTH, FieldCipher, type IndexNormalisation } from '@sogoms/crypt';
import type { FieldDef, SchemaDef, TableDef } from '../schema.types.js';
import { effectiveDbType } from './schema-defaults.js';

/**
 * How an encrypted field sits in the database (docs/crypt.md): its column holds the envelope
 * (longer than the plaintext), and a searchable one has a blind-index column `{field}_bidx`
 * beside it, indexed, unique when the field is. schema.yaml declares the plaintext; diff and
 * migrate compare the database with `storageSchema`, and a scan reads it back with
 * `declaredFromStorage`.
 */

/** The blind-index column of a searchable field (its index has the same name). */
export const blindIndexColumn = (field: string): string => `${field}_bidx`;

/** The longest VARCHAR MariaDB holds in utf8mb4 (a row has 65,535 bytes); longer goes to a text type. */
const MAX_VARCHAR = 16_383;
/** Key ids are `k1`, `k2` …; the envelope's length allows the longest id the keys file takes. */
const KEY_ID_LENGTH = 32;
/** An encrypted text needs the next text type: base64 makes 4 characters of 3 bytes. */
const LARGER_TEXT: Readonly<Record<string, string>> = {
  tinytext: 'text',
  text: 'mediumtext',
  mediumtext: 'longtext',
  longtext: 'longtext',
};

/** What two spellings of a value share in its blind index: emails (a login, `*email`) lower-cased. */
export const blindIndexNormalisation = (field: FieldDef): IndexNormalisation =>
  field.auth === 'login' || /(^|_)email$/i.test(field.name) ? 'email' : 'trim';

/** The column that holds the envelope of an encrypted field (the field itself otherwise). */
export const storedField = (field: FieldDef): FieldDef => {
  if (field.encrypted !== true) return field;
  const { encrypted: _e, searchable: _s, ...rest } = field;
  // The unique rule moves to the blind index: equal plaintexts have different envelopes.
  const stored: FieldDef = { ...rest, unique: false };
  if (field.type === 'string') {
    // A character is at most 4 bytes of UTF-8.
    const length = FieldCipher.envelopeLength(4 * (field.length ?? 255), KEY_ID_LENGTH);
    delete stored.dbType;
    if (length <= MAX_VARCHAR) return { ...stored, length };
    delete stored.length;
    return { ...stored, type: 'text', dbType: 'mediumtext' };
  }
  return { ...stored, dbType: LARGER_TEXT[effectiveDbType(field)] ?? 'longtext' };
};

/** The blind-index column of a searchable field: NULL until the row's value is encrypted. */
export const blindIndexField = (field: FieldDef): FieldDef => ({
  name: blindIndexColumn(field.name),
  type: 'string',
  dbType: 'char',
  length: BLIND_INDEX_LENGTH,
  unsigned: false,
  primary: false,
  auto: false,
  unique: false,
  required: false,
  nullable: true,
  hidden: true,
  readonly: true,
});

/** The table as the database holds it: envelope columns, blind-index columns and their indexes. */
export const storageTable = (table: TableDef): TableDef => {
  if (!table.fields.some((f) => f.encrypted === true)) return table;
  const fields: FieldDef[] = [];
  const indexes = [...table.indexes];
  for (const field of table.fields) {
    fields.push(storedField(field));
    if (field.encrypted !== true || field.searchable !== true) continue;
    const bidx = blindIndexField(field);
    fields.push(bidx);
    indexes.push({ name: bidx.name, fields: [bidx.name], unique: field.unique });
  }
  return { ...table, fields, indexes };
};

export const storageSchema = (schema: SchemaDef): SchemaDef =>
  schema.tables.some((t) => t.fields.some((f) => f.encrypted === true))
    ? { ...schema, tables: schema.tables.map(storageTable) }
    : schema;

const sameStorage = (want: FieldDef, have: FieldDef): boolean =>
  want.type === have.type &&
  effectiveDbType(want) === effectiveDbType(have) &&
  (want.length ?? null) === (have.length ?? null);

/**
 * A scanned table read as schema.yaml declares it (`declared`: the file's table): an encrypted
 * field whose column has the envelope's type gets its declared type back, and the blind-index
 * column and its index of a searchable one are not fields of their own. What differs from the
 * storage form is left as the scan found it, so the merge still reports it.
 */
export const declaredFromStorage = (declared: TableDef, scanned: TableDef): TableDef => {
  const encrypted = declared.fields.filter((f) => f.encrypted === true);
  if (encrypted.length === 0) return scanned;
  let fields = [...scanned.fields];
  let indexes = [...scanned.indexes];
  for (const field of encrypted) {
    const at = fields.findIndex((f) => f.name === field.name);
    if (at === -1) continue;
    let unique = fields[at].unique;
    if (field.searchable === true) {
      const bidx = blindIndexColumn(field.name);
      const column = fields.find((f) => f.name === bidx);
      const index = indexes.find((i) => i.fields.length === 1 && i.fields[0] === bidx);
      if (column !== undefined) {
        unique = column.unique || index?.unique === true;
        fields = fields.filter((f) => f !== column);
        indexes = indexes.filter((i) => i !== index);
      }
    }
    const have = fields.findIndex((f) => f.name === field.name);
    if (!sameStorage(storedField(field), fields[have])) continue;
    const read: FieldDef = { ...fields[have], type: field.type, unique };
    delete read.dbType;
    delete read.length;
    if (field.dbType !== undefined) read.dbType = field.dbType;
    if (field.length !== undefined) read.length = field.length;
    fields[have] = read;
  }
  return { ...scanned, fields, indexes };
};
