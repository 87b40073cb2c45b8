import {
  effectiveDbType,
  type FieldDef,
  type FieldType,
  type RelationDef,
  type SchemaDef,
  type TableDef,
} from '@sogoms/schema';
import { accessAsWritten, tableRoutes, type AccessOf, type HttpMethod } from './table-routes.js';

/**
 * The data dictionary served at `{base}/_schema`: what a client may rely on, in the words of
 * schema.yaml (snake_case keys). It shows structure only: a field's default is shown (it is
 * schema, not data) except for password fields, and the SQL of named filters is not shown.
 */
export interface DataDictionary {
  base_path: string;
  schema_version: number;
  tables: DictionaryTable[];
}

export interface DictionaryField {
  name: string;
  type: FieldType;
  /** The MariaDB column type, also when schema.yaml leaves it at the default for `type`. */
  db_type: string;
  length?: number;
  precision?: number;
  scale?: number;
  values?: string[];
  nullable: boolean;
  required: boolean;
  default?: string | number | boolean | null | { sql: string };
  on_update?: { sql: string };
  unsigned: boolean;
  primary: boolean;
  auto: boolean;
  unique: boolean;
  /** Never returned by the API (password fields always are). */
  hidden: boolean;
  readonly: boolean;
  /** A create or update may set it (not auto, readonly or hidden). */
  writable: boolean;
  auth?: 'login' | 'password';
  foreign?: { table: string; field: string; on_delete: string; on_update: string };
  /** Stored as an envelope (docs/crypt.md); `filters` are the operators it takes. */
  encrypted?: true;
  searchable?: boolean;
  filters?: string[];
  comment?: string;
}

export type DictionaryRelation =
  | { name: string; type: 'belongs_to' | 'has_many'; table: string; field: string; references: string }
  | {
      name: string;
      type: 'many_to_many';
      table: string;
      through: string;
      field: string;
      references: string;
      target_field: string;
      target_references: string;
    };

export interface DictionaryRoute {
  op: string;
  method: HttpMethod;
  /** Full path with the base path, e.g. `/api/film/{id}`. */
  path: string;
  public: boolean;
}

export interface DictionaryTable {
  name: string;
  comment?: string;
  view: boolean;
  /** Key fields in key order; `{id}` in a path is their values joined by commas. */
  primary: string[];
  fields: DictionaryField[];
  indexes: { name: string; fields: string[]; unique: boolean; kind?: string }[];
  relations: DictionaryRelation[];
  /** `filter: owner`: rows belong to the user in `field`; `bypass` roles see every row. */
  owner: { field: string; bypass: string[] } | null;
  order: { field: string; direction: 'asc' | 'desc' }[];
  /** Named filters: `?filter={name}` with these query params. */
  filters: { name: string; params: string[] }[];
  routes: DictionaryRoute[];
}

/** Password fields are hidden whatever schema.yaml says. */
export const isHidden = (field: FieldDef): boolean => field.hidden || field.auth === 'password';

export const isWritable = (field: FieldDef): boolean => !field.auto && !field.readonly && !isHidden(field);

const dictionaryField = (field: FieldDef): DictionaryField => {
  const out: DictionaryField = {
    name: field.name,
    type: field.type,
    // A bool is a tinyint(1) in MariaDB: say so, the display width is what makes it a bool.
    db_type: field.type === 'bool' && field.dbType === undefined ? 'tinyint(1)' : effectiveDbType(field),
    nullable: field.nullable,
    required: field.required,
    unsigned: field.unsigned,
    primary: field.primary,
    auto: field.auto,
    unique: field.unique,
    hidden: isHidden(field),
    readonly: field.readonly,
    writable: isWritable(field),
  };
  if (field.length !== undefined) out.length = field.length;
  if (field.precision !== undefined) out.precision = field.precision;
  if (field.scale !== undefined) out.scale = field.scale;
  if (field.values !== undefined) out.values = [...field.values];
  if (field.default !== undefined && field.auth !== 'password') out.default = field.default;
  if (field.onUpdate !== undefined) out.on_update = field.onUpdate;
  if (field.auth !== undefined) out.auth = field.auth;
  if (field.foreign !== undefined) {
    const { table, field: column, onDelete, onUpdate } = field.foreign;
    out.foreign = { table, field: column, on_delete: onDelete, on_update: onUpdate };
  }
  if (field.encrypted === true) {
    out.encrypted = true;
    out.searchable = field.searchable === true;
    out.filters = field.searchable === true ? ['eq', 'in', 'null'] : ['null'];
  }
  if (field.comment !== undefined) out.comment = field.comment;
  return out;
};

const dictionaryRelation = (relation: RelationDef): DictionaryRelation =>
  relation.type === 'many_to_many'
    ? {
        name: relation.name,
        type: relation.type,
        table: relation.table,
        through: relation.through,
        field: relation.field,
        references: relation.references,
        target_field: relation.targetField,
        target_references: relation.targetReferences,
      }
    : {
        name: relation.name,
        type: relation.type,
        table: relation.table,
        field: relation.field,
        references: relation.references,
      };

export const dictionaryTable = (
  table: TableDef,
  basePath: string,
  accessOf: AccessOf = accessAsWritten,
): DictionaryTable => {
  const out: DictionaryTable = {
    name: table.name,
    view: table.view,
    primary: [...table.primary],
    fields: table.fields.map(dictionaryField),
    indexes: table.indexes.map((index) => ({
      name: index.name,
      fields: [...index.fields],
      unique: index.unique,
      ...(index.kind === undefined ? {} : { kind: index.kind }),
    })),
    relations: table.relations.map(dictionaryRelation),
    owner: table.filter === 'owner' ? { field: table.ownerField, bypass: [...table.ownerBypass] } : null,
    order: table.order.map((o) => ({ ...o })),
    filters: table.filters.map((f) => ({ name: f.name, params: [...f.params] })),
    routes: tableRoutes(table, accessOf).map((route) => ({
      op: route.op,
      method: route.method,
      path: `${basePath}${route.path}`,
      public: route.public,
    })),
  };
  if (table.comment !== undefined) out.comment = table.comment;
  return out;
};

/** The whole dictionary of one app; an app without schema.yaml has no tables. */
export const dataDictionary = (
  schema: SchemaDef | null,
  basePath: string,
  accessOf: AccessOf = accessAsWritten,
): DataDictionary => ({
  base_path: basePath,
  schema_version: schema?.version ?? 1,
  tables: (schema?.tables ?? []).map((table) => dictionaryTable(table, basePath, accessOf)),
});
