/**
 * The in-memory model of one app's `schema.yaml` (format: docs/schema.md). Produced by the
 * schema loader (YAML → model, validated), by introspection (database → model) and written back
 * by the generator (model → YAML). Everything downstream — the REST runtime, diff, migrate,
 * OpenAPI — reads this model, never the YAML. Names are the database's own names.
 */

export const FIELD_TYPES = [
  'int',
  'bigint',
  'decimal',
  'float',
  'bool',
  'string',
  'text',
  'date',
  'datetime',
  'time',
  'year',
  'enum',
  'set',
  'json',
  'binary',
  'geometry',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const CRUD_OPS = ['list', 'read', 'create', 'update', 'delete'] as const;
export type CrudOp = (typeof CRUD_OPS)[number];

export const REFERENTIAL_ACTIONS = ['restrict', 'cascade', 'set_null', 'no_action', 'set_default'] as const;
export type ReferentialAction = (typeof REFERENTIAL_ACTIONS)[number];

export interface ForeignRef {
  table: string;
  field: string;
  /** Constraint name in the database (kept so diff/migrate can name it). */
  name?: string;
  onDelete: ReferentialAction; // default restrict
  onUpdate: ReferentialAction; // default restrict
}

export interface FieldDef {
  name: string;
  type: FieldType;
  /**
   * The exact MariaDB column type when it is not the default for `type` (see DEFAULT_DB_TYPES in
   * docs/schema.md), lower case without display widths, e.g. `smallint`, `char`, `mediumtext`,
   * `timestamp`, `double`, `varbinary`, `point`. Absent: the default for `type`.
   */
  dbType?: string;
  /** string/binary: max length in characters/bytes (varchar/char/varbinary/binary). */
  length?: number;
  /** decimal */
  precision?: number;
  scale?: number;
  /** enum/set: the allowed values, in order. */
  values?: string[];
  unsigned: boolean;
  primary: boolean;
  auto: boolean;
  unique: boolean;
  /** NOT NULL and no default: a create must give it. */
  required: boolean;
  nullable: boolean;
  /**
   * The column default: a literal (string/number/boolean/null) or an SQL expression written as
   * `{ sql: 'CURRENT_TIMESTAMP' }`. Absent: no default.
   */
  default?: string | number | boolean | null | { sql: string };
  /** `ON UPDATE CURRENT_TIMESTAMP` and the like. */
  onUpdate?: { sql: string };
  foreign?: ForeignRef;
  hidden: boolean;
  readonly: boolean;
  auth?: 'login' | 'password';
  /**
   * string/text only: stored as an AES-256-GCM envelope (docs/crypt.md); the column holds the
   * envelope, the API shows the plaintext. Absent: stored as given.
   */
  encrypted?: true;
  /**
   * Only with `encrypted`: a blind-index column `{name}_bidx` (CHAR(32), indexed; unique when the
   * field is) that equality filters and the unique rule use.
   */
  searchable?: true;
  comment?: string;
}

export interface IndexDef {
  name: string;
  fields: string[];
  unique: boolean;
  /** `fulltext` or `spatial`; absent for btree. */
  kind?: 'fulltext' | 'spatial';
}

export type RelationDef =
  /**
   * This table's `field` references `table.references` (one object). `ownerCheck: false`
   * (`owner_check` in schema.yaml, only ever written by hand) lets a write name a parent row the
   * caller cannot read: a reference shared on purpose. Absent: checked (docs/schema.md).
   */
  | {
      name: string;
      type: 'belongs_to';
      table: string;
      field: string;
      references: string;
      ownerCheck?: false;
    }
  /** `table.field` references this table's `references` (an array). */
  | { name: string; type: 'has_many'; table: string; field: string; references: string }
  /**
   * Through a join table whose primary key is its two foreign keys: `through.field` references
   * this table's `references`; `through.targetField` references `table.targetReferences`.
   */
  | {
      name: string;
      type: 'many_to_many';
      table: string;
      through: string;
      field: string;
      references: string;
      targetField: string;
      targetReferences: string;
    };

export interface NamedFilter {
  name: string;
  /** A WHERE fragment with `:params`, e.g. `title LIKE :q`. */
  where: string;
  params: string[];
}

export interface TableDef {
  name: string;
  comment?: string;
  /** Key fields in key order; empty for a table without a primary key (then list-only). */
  primary: string[];
  fields: FieldDef[];
  indexes: IndexDef[];
  relations: RelationDef[];
  crud: CrudOp[];
  public: CrudOp[];
  filter?: 'owner';
  ownerField: string; // default user_id
  ownerBypass: string[]; // roles that see every row, default []
  /** Default ORDER BY, e.g. `position ASC, id ASC`, as parsed pairs. */
  order: { field: string; direction: 'asc' | 'desc' }[];
  filters: NamedFilter[];
  view: boolean;
}

export interface SchemaDef {
  /** Format version of schema.yaml; 1 today. */
  version: number;
  tables: TableDef[];
}
