import { SogomsError } from '@sogoms/common';
import { MARIADB_DIALECT, type SqlDialect } from '@sogoms/db/dialect';
import {
  blindIndexField,
  compileNamedSql,
  quoteIdentifier,
  type CompiledSql,
  type CrudOp,
  type FieldDef,
  type RelationDef,
  type TableDef,
} from '@sogoms/schema';
import { compileFieldCodec, type FieldCodec } from './field-codec.js';
import { compileFieldEncryption, type AppCrypt, type FieldEncryption } from './field-encryption.js';
import type { TableQueryOverrides } from './query-overrides.loader.js';

/** One column, with everything a request needs precomputed. */
export interface CompiledField {
  def: FieldDef;
  name: string;
  /** The quoted column name. */
  column: string;
  codec: FieldCodec;
  /** `\`table\`.\`column\``: columns are always qualified (relation queries join tables). */
  qualified: string;
  /** The SELECT expression that yields the API's value under its own name (geometry via ST_AsText). */
  select: string;
  /** A create/update may write it (not auto, readonly or hidden). */
  writable: boolean;
  /** `encrypted: true`: stored as an envelope (docs/crypt.md); null for a plain field. */
  encryption: FieldEncryption | null;
  /** `searchable: true`: the hidden `{field}_bidx` column written with it and filtered instead of it. */
  blindIndex: CompiledField | null;
}

/** A relation, resolved against its target table. */
export interface CompiledRelation {
  def: RelationDef;
  name: string;
  target: CompiledTable;
  /** belongs_to: one object (or null); has_many and many_to_many: an array. */
  many: boolean;
  /** The parent's field whose values select the related rows. */
  parentField: CompiledField;
  /** FROM clause of the related rows (many_to_many joins the through table as `__j`). */
  from: string;
  /** The qualified expression compared with the parent's values. */
  match: string;
  /**
   * belongs_to a key or unique field of the target: at most one row per parent, so it can be read
   * with a LEFT JOIN in the parent's own statement (this is that target field); null otherwise.
   */
  joinOn: CompiledField | null;
}

/**
 * A table without an owner field of its own that references an owner-filtered table (a join
 * table like task_tags): its rows are the caller's when the referenced parent row is.
 */
export interface OwnerLink {
  field: CompiledField;
  parent: CompiledTable;
  /** The parent's referenced field. */
  parentKey: CompiledField;
}

/**
 * A foreign key whose parent rows belong to users: a create or update may name only a parent
 * row the caller could read (see ownerReferencesOf).
 */
export interface OwnerReference extends OwnerLink {
  /** One of the table's owner links: a create must give it, and never null. */
  link: boolean;
}

/** A named filter of the table: its WHERE fragment with `?` and the param names in bind order. */
export interface CompiledFilter {
  name: string;
  sql: CompiledSql;
}

/**
 * One table of an app, compiled once per schema version: fields with codecs, key, owner rule,
 * relations, default order and the fixed statements. Nothing here is built per request.
 */
export interface CompiledTable {
  def: TableDef;
  name: string;
  /** The quoted table name. */
  table: string;
  fields: ReadonlyMap<string, CompiledField>;
  /** Every field the API shows, in column order (never a hidden one). */
  visible: readonly CompiledField[];
  /** The app's engine: the SQL builder asks it where MariaDB and SQLite differ. */
  dialect: SqlDialect;
  /** The select list of `visible`, joined once. */
  selectVisible: string;
  /** Key fields in key order; empty = list only. */
  key: readonly CompiledField[];
  /** `\`t\`.\`a\` = ? AND \`t\`.\`b\` = ?` over the key. */
  keyWhere: string;
  /** The owner field when `filter: owner` (the id field of the users table). */
  owner: CompiledField | null;
  /** Roles that see every row (`owner_bypass`). */
  ownerBypass: ReadonlySet<string>;
  /** Filled by compileApp: owner rules inherited through foreign keys (only when `owner` is null). */
  ownerLinks: readonly OwnerLink[];
  /** Filled by compileApp: the foreign keys a write must point at readable parent rows with. */
  ownerReferences: readonly OwnerReference[];
  /** This is the app's users table (its owner rule is the guard of compileTable, not a parent's). */
  isUsersTable: boolean;
  /** Filled by compileApp once every table exists (relations point at other tables). */
  relations: ReadonlyMap<string, CompiledRelation>;
  filters: ReadonlyMap<string, CompiledFilter>;
  /** The default ORDER BY (without the keyword): `order:` then the key, so pages are stable. */
  defaultOrder: string;
  /** Operations served: `crud:` minus writes for views and everything but list without a key. */
  ops: ReadonlySet<CrudOp>;
  public: ReadonlySet<CrudOp>;
  /** `queries/{table}.yaml`: SQL replacing the generated one, per op and role. */
  overrides: TableQueryOverrides;
}

const WRITE_OPS: readonly CrudOp[] = ['create', 'update', 'delete'];

const compileField = (
  table: string,
  def: FieldDef,
  dialect: SqlDialect,
  encryption: FieldEncryption | null = null,
): CompiledField => {
  const column = quoteIdentifier(def.name);
  const qualified = `${table}.${column}`;
  return {
    def,
    name: def.name,
    column,
    qualified,
    codec: compileFieldCodec(def, dialect, encryption),
    select: def.type === 'geometry' ? `${dialect.geometryAsText(qualified)} AS ${column}` : qualified,
    writable: !def.auto && !def.readonly && !def.hidden && def.auth !== 'password',
    encryption,
    blindIndex: null,
  };
};

/**
 * The table's fields, an encrypted one with its encryption and, when searchable, its hidden
 * blind-index field beside it (never shown, never written by a body: the write parser fills it).
 */
const compileFields = (
  def: TableDef,
  table: string,
  dialect: SqlDialect,
  crypt: AppCrypt | null,
): Map<string, CompiledField> => {
  const fields = new Map<string, CompiledField>();
  for (const f of def.fields) {
    if (f.encrypted !== true) {
      fields.set(f.name, compileField(table, f, dialect));
      continue;
    }
    if (crypt === null)
      throw new SogomsError(
        'BAD_REQUEST',
        `${def.name}.${f.name} is encrypted but the app has no keys loaded`,
      );
    const field = compileField(table, f, dialect, compileFieldEncryption(crypt, def.name, f, def.primary));
    fields.set(f.name, field);
    if (f.searchable === true) {
      const index = compileField(table, blindIndexField(f), dialect);
      field.blindIndex = index;
      fields.set(index.name, index);
    }
  }
  return fields;
};

/** The app's users table (app.yaml `auth:`), which the generated API guards by default. */
export interface UsersTableRule {
  table: string;
  idField: string;
  roleField: string | null;
}

/** Who sees every user row when schema.yaml names no `owner_bypass` for the users table. */
const USERS_BYPASS = ['admin'];

export const compileTable = (
  def: TableDef,
  overrides: TableQueryOverrides = new Map(),
  users?: UsersTableRule,
  dialect: SqlDialect = MARIADB_DIALECT,
  crypt: AppCrypt | null = null,
): CompiledTable => {
  const table = quoteIdentifier(def.name);
  const fields = compileFields(def, table, dialect, crypt);
  // The users table: each user sees and edits only their own row (unless schema.yaml sets an
  // owner rule), nobody grants themselves a role, and accounts are made by auth/register.
  const isUsers = users !== undefined && users.table === def.name && !def.view;
  const roleField = isUsers && users.roleField !== null ? fields.get(users.roleField) : undefined;
  if (roleField !== undefined) fields.set(roleField.name, { ...roleField, writable: false });
  const field = (name: string, what: string): CompiledField => {
    const found = fields.get(name);
    if (found === undefined)
      throw new SogomsError('BAD_REQUEST', `${def.name}: ${what} names unknown field ${name}`);
    return found;
  };
  const key = def.primary.map((name) => field(name, 'primary'));
  const owner =
    def.filter === 'owner'
      ? field(def.ownerField, 'owner_field')
      : isUsers
        ? (fields.get(users.idField) ?? null)
        : null;
  const ownerBypass =
    isUsers && def.filter !== 'owner' && def.ownerBypass.length === 0 ? USERS_BYPASS : def.ownerBypass;
  const orderFields = def.order.map(
    (o) => `${field(o.field, 'order').qualified} ${o.direction.toUpperCase()}`,
  );
  for (const k of key) if (!def.order.some((o) => o.field === k.name)) orderFields.push(`${k.qualified} ASC`);
  let ops = new Set(def.crud);
  if (def.view) for (const op of WRITE_OPS) ops.delete(op);
  if (key.length === 0) ops = new Set(ops.has('list') ? (['list'] as const) : []);
  if (isUsers) ops.delete('create');
  const visible = [...fields.values()].filter((f) => !f.def.hidden && f.def.auth !== 'password');
  return {
    def,
    name: def.name,
    table,
    dialect,
    fields,
    visible,
    selectVisible: visible.map((f) => f.select).join(', '),
    key,
    keyWhere: key.map((k) => `${k.qualified} = ?`).join(' AND '),
    owner,
    ownerBypass: new Set(ownerBypass),
    ownerLinks: [],
    ownerReferences: [],
    isUsersTable: isUsers,
    relations: new Map(),
    filters: new Map(
      def.filters.map((f) => [f.name, { name: f.name, sql: compileNamedSql(f.where) }] as const),
    ),
    defaultOrder: orderFields.join(', '),
    ops,
    public: new Set(def.public),
    overrides,
  };
};
