import type { FieldDef, IndexDef, NamedFilter, RelationDef, SchemaDef, TableDef } from '../schema.types.js';
import { compileNamedSql } from '../named-sql.js';
import { defaultCrud, DEFAULT_OWNER_FIELD } from '../model/schema-defaults.js';

/**
 * Builders for schema models in tests. Every builder returns the canonical form the parser
 * produces (defaults filled, `primary` flags and the table's `primary` list in agreement), so
 * `parseSchemaYaml(writeSchemaYaml(aSchema(...)))` gives the same model back.
 */

/** A field with every flag false; `aField('title', { type: 'string', length: 128 })`. */
export const aField = (name: string, overrides: Partial<Omit<FieldDef, 'name'>> = {}): FieldDef => ({
  name,
  type: 'int',
  unsigned: false,
  primary: false,
  auto: false,
  unique: false,
  required: false,
  nullable: false,
  hidden: false,
  readonly: false,
  ...overrides,
});

/** `{name}: int unsigned primary auto`, the usual surrogate key. */
export const anIdField = (name = 'id', overrides: Partial<Omit<FieldDef, 'name'>> = {}): FieldDef =>
  aField(name, { type: 'int', unsigned: true, primary: true, auto: true, ...overrides });

/** A field referencing `table.field` (restrict/restrict unless overridden). */
export const aForeignField = (
  name: string,
  table: string,
  field: string,
  overrides: Partial<Omit<FieldDef, 'name'>> = {},
): FieldDef =>
  aField(name, {
    type: 'int',
    unsigned: true,
    required: true,
    foreign: { table, field, onDelete: 'restrict', onUpdate: 'restrict' },
    ...overrides,
  });

/**
 * A table with the parser's defaults. Without `primary`, the key is the fields flagged
 * `primary: true` in column order; with it, the fields' flags are set to match. Without
 * `fields`, one `id` key field. `crud` defaults like the parser's (see defaultCrud).
 */
export const aTable = (name: string, overrides: Partial<Omit<TableDef, 'name'>> = {}): TableDef => {
  const given = overrides.fields ?? [anIdField()];
  const primary = overrides.primary ?? given.filter((f) => f.primary).map((f) => f.name);
  const fields = given.map((f) => ({ ...f, primary: primary.includes(f.name) }));
  const view = overrides.view ?? false;
  return {
    name,
    indexes: [],
    relations: [],
    public: [],
    ownerField: DEFAULT_OWNER_FIELD,
    ownerBypass: [],
    order: [],
    filters: [],
    ...overrides,
    view,
    primary,
    fields,
    crud: overrides.crud ?? defaultCrud(view, primary),
  };
};

export const anIndex = (
  name: string,
  fields: string[],
  overrides: Partial<Omit<IndexDef, 'name'>> = {},
): IndexDef => ({
  name,
  fields,
  unique: false,
  ...overrides,
});

/** A named filter with its params compiled from `where`, as the parser fills them. */
export const aFilter = (name: string, where: string): NamedFilter => ({
  name,
  where,
  params: compileNamedSql(where).params,
});

export const aBelongsTo = (name: string, field: string, table: string, references: string): RelationDef => ({
  name,
  type: 'belongs_to',
  table,
  field,
  references,
});

export const aHasMany = (name: string, table: string, field: string, references: string): RelationDef => ({
  name,
  type: 'has_many',
  table,
  field,
  references,
});

export const aSchema = (tables: TableDef[]): SchemaDef => ({ version: 1, tables });
