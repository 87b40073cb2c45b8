import type { FieldDef, ReferentialAction, SchemaDef, TableDef } from '../schema.types.js';
import { sqlStringLiteral } from '../migrate/sql-literal.js';
import { blindIndexColumn, storageSchema } from '../model/encrypted-storage.js';
import { COLUMN_ASPECTS, columnFacts, type ColumnAspect, type ColumnFacts } from './column-facts.js';
import type { ForeignKeyShape, IndexShape, SchemaChange } from './schema-change.types.js';

/** Key columns in key order: the table's `primary`, else its `primary: true` fields. */
export const primaryKeyOf = (table: TableDef): string[] =>
  table.primary.length > 0 ? [...table.primary] : table.fields.filter((f) => f.primary).map((f) => f.name);

export interface NamedIndex extends IndexShape {
  name: string;
  /** From a field's `unique: true` rather than `indexes:`; named after the column, as MariaDB does. */
  implied: boolean;
}

const isSingleUnique = (index: IndexShape, column: string): boolean =>
  index.unique && index.kind === undefined && index.fields.length === 1 && index.fields[0] === column;

/** The table's indexes, with one unique index for each `unique: true` field not already listed. */
export const indexesOf = (table: TableDef): NamedIndex[] => {
  const indexes: NamedIndex[] = table.indexes
    .filter((index) => index.name.toUpperCase() !== 'PRIMARY')
    .map((index) => ({
      name: index.name,
      fields: [...index.fields],
      unique: index.unique,
      ...(index.kind === undefined ? {} : { kind: index.kind }),
      implied: false,
    }));
  const key = primaryKeyOf(table);
  for (const field of table.fields) {
    if (!field.unique || (key.length === 1 && key[0] === field.name)) continue;
    if (indexes.some((index) => isSingleUnique(index, field.name))) continue;
    indexes.push({ name: field.name, fields: [field.name], unique: true, implied: true });
  }
  return indexes;
};

export const foreignKeyOf = (field: FieldDef): ForeignKeyShape | undefined =>
  field.foreign === undefined
    ? undefined
    : {
        ...(field.foreign.name === undefined ? {} : { name: field.foreign.name }),
        table: field.foreign.table,
        field: field.foreign.field,
        onDelete: field.foreign.onDelete,
        onUpdate: field.foreign.onUpdate,
      };

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((value, i) => value === b[i]);

const sameIndex = (a: IndexShape, b: IndexShape): boolean =>
  a.unique === b.unique && a.kind === b.kind && sameList(a.fields, b.fields);

const shape = (index: NamedIndex): IndexShape => ({
  fields: index.fields,
  unique: index.unique,
  ...(index.kind === undefined ? {} : { kind: index.kind }),
});

/** InnoDB treats NO ACTION as RESTRICT; only the spelling differs. */
const sameAction = (a: ReferentialAction, b: ReferentialAction): boolean =>
  (a === 'no_action' ? 'restrict' : a) === (b === 'no_action' ? 'restrict' : b);

/** A constraint name left out of schema.yaml is the database's choice, not a difference. */
const sameForeignKey = (desired: ForeignKeyShape, live: ForeignKeyShape): boolean =>
  desired.table === live.table &&
  desired.field === live.field &&
  sameAction(desired.onDelete, live.onDelete) &&
  sameAction(desired.onUpdate, live.onUpdate) &&
  (desired.name === undefined || desired.name === live.name);

const impliedDefault = (a: string, b: string): boolean =>
  (a === 'NULL' && b === 'none') || (a === 'none' && b === 'NULL');

export interface DiffOptions {
  /**
   * The live database's engine; default mariadb. SQLite has no unsigned (a word of the declared
   * type), no comments and no ON UPDATE (a trigger's work): those are not differences there.
   */
  engine?: 'mariadb' | 'sqlite';
}

const SQLITE_UNKEPT: ReadonlySet<ColumnAspect> = new Set(['comment', 'on_update']);

const diffColumns = (desired: TableDef, live: TableDef, changes: SchemaChange[], sqlite: boolean): void => {
  const liveFields = new Map(live.fields.map((f) => [f.name, f]));
  const desiredNames = new Set(desired.fields.map((f) => f.name));
  for (const field of desired.fields) {
    const other = liveFields.get(field.name);
    if (other === undefined) {
      changes.push({ kind: 'column_missing', table: desired.name, column: field.name });
      continue;
    }
    // A view's column types follow from its query, which schema.yaml does not hold.
    if (desired.view) continue;
    const want: ColumnFacts = columnFacts(sqlite ? { ...field, unsigned: false } : field);
    const have: ColumnFacts = columnFacts(sqlite ? { ...other, unsigned: false } : other);
    for (const aspect of COLUMN_ASPECTS) {
      if (want[aspect] === have[aspect] || (sqlite && SQLITE_UNKEPT.has(aspect))) continue;
      // NULL versus none is what a change of nullability implies; it is reported once, as that.
      if (
        aspect === 'default' &&
        want.nullable !== have.nullable &&
        impliedDefault(want.default, have.default)
      )
        continue;
      changes.push({
        kind: 'column_changed',
        table: desired.name,
        column: field.name,
        aspect,
        desired: want[aspect],
        live: have[aspect],
      });
    }
  }
  for (const field of live.fields) {
    if (!desiredNames.has(field.name))
      changes.push({ kind: 'column_extra', table: desired.name, column: field.name });
  }
};

/**
 * An index InnoDB made by itself for a foreign key: one column that carries a foreign key in
 * schema.yaml and that no index or primary key of schema.yaml starts with. Not a difference.
 */
const isForeignKeyIndex = (index: NamedIndex, desired: TableDef, desiredIndexes: NamedIndex[]): boolean => {
  if (index.unique || index.kind !== undefined || index.fields.length !== 1) return false;
  const column = index.fields[0];
  if (desired.fields.find((f) => f.name === column)?.foreign === undefined) return false;
  if (primaryKeyOf(desired)[0] === column) return false;
  return !desiredIndexes.some((other) => other.fields[0] === column);
};

const diffIndexes = (desired: TableDef, live: TableDef, changes: SchemaChange[]): void => {
  const wanted = indexesOf(desired);
  const present = indexesOf(live);
  const unmatchedLive = new Map(present.map((index) => [index.name, index]));
  const unmatchedWanted: NamedIndex[] = [];
  for (const index of wanted) {
    const other = unmatchedLive.get(index.name);
    if (other === undefined) {
      unmatchedWanted.push(index);
      continue;
    }
    unmatchedLive.delete(index.name);
    if (!sameIndex(index, other)) {
      changes.push({
        kind: 'index_changed',
        table: desired.name,
        index: index.name,
        desired: shape(index),
        live: shape(other),
      });
    }
  }
  for (const index of unmatchedWanted) {
    // `unique: true` on a field names no index: any unique index of that one column is it.
    const twin = [...unmatchedLive.values()].find(
      (other) => (index.implied || other.implied) && sameIndex(index, other),
    );
    if (twin !== undefined) {
      unmatchedLive.delete(twin.name);
      continue;
    }
    changes.push({ kind: 'index_missing', table: desired.name, index: index.name, desired: shape(index) });
  }
  for (const index of unmatchedLive.values()) {
    if (isForeignKeyIndex(index, desired, wanted)) continue;
    changes.push({ kind: 'index_extra', table: desired.name, index: index.name, live: shape(index) });
  }
};

const diffForeignKeys = (desired: TableDef, live: TableDef, changes: SchemaChange[]): void => {
  const liveKeys = new Map<string, ForeignKeyShape>();
  for (const field of live.fields) {
    const key = foreignKeyOf(field);
    if (key !== undefined) liveKeys.set(field.name, key);
  }
  for (const field of desired.fields) {
    const key = foreignKeyOf(field);
    if (key === undefined) continue;
    const other = liveKeys.get(field.name);
    liveKeys.delete(field.name);
    if (other === undefined) {
      changes.push({ kind: 'foreign_key_missing', table: desired.name, column: field.name, desired: key });
    } else if (!sameForeignKey(key, other)) {
      changes.push({
        kind: 'foreign_key_changed',
        table: desired.name,
        column: field.name,
        desired: key,
        live: other,
      });
    }
  }
  for (const [column, key] of liveKeys) {
    changes.push({ kind: 'foreign_key_extra', table: desired.name, column, live: key });
  }
};

const diffTable = (desired: TableDef, live: TableDef, changes: SchemaChange[], sqlite: boolean): void => {
  if (!desired.view && !sqlite && (desired.comment ?? '') !== (live.comment ?? '')) {
    changes.push({
      kind: 'table_comment',
      table: desired.name,
      desired: quoteComment(desired.comment),
      live: quoteComment(live.comment),
    });
  }
  diffColumns(desired, live, changes, sqlite);
  if (desired.view) return;
  const wantKey = primaryKeyOf(desired);
  const haveKey = primaryKeyOf(live);
  if (!sameList(wantKey, haveKey))
    changes.push({ kind: 'primary_key_changed', table: desired.name, desired: wantKey, live: haveKey });
  diffIndexes(desired, live, changes);
  diffForeignKeys(desired, live, changes);
};

const quoteComment = (comment: string | undefined): string =>
  comment === undefined || comment === '' ? 'none' : sqlStringLiteral(comment);

/**
 * What differs between schema.yaml (`desired`) and the database (`live`, from introspection), in
 * database facts only: tables and views, columns (type, NULL, default, ON UPDATE, AUTO_INCREMENT,
 * comment), primary keys, indexes and foreign keys. API options (crud, public, hidden, relations,
 * filters, order...) are not differences, nor is column order. Ordered as schema.yaml lists
 * tables, then the database's extra tables; an empty list means nothing to migrate.
 */
export const diffSchemas = (
  declared: SchemaDef,
  live: SchemaDef,
  options: DiffOptions = {},
): SchemaChange[] => {
  const sqlite = options.engine === 'sqlite';
  // Encrypted fields are compared as stored: the envelope's column, the blind index beside it.
  const desired = storageSchema(declared);
  const changes: SchemaChange[] = [];
  const liveTables = new Map(live.tables.map((t) => [t.name, t]));
  const desiredNames = new Set(desired.tables.map((t) => t.name));
  for (const table of desired.tables) {
    const other = liveTables.get(table.name);
    if (other === undefined) {
      changes.push({ kind: 'table_missing', table: table.name, view: table.view });
    } else if (table.view !== other.view) {
      changes.push({
        kind: 'table_kind',
        table: table.name,
        desired: table.view ? 'view' : 'table',
        live: other.view ? 'view' : 'table',
      });
    } else {
      diffTable(table, other, changes, sqlite);
    }
  }
  for (const table of live.tables) {
    if (!desiredNames.has(table.name))
      changes.push({ kind: 'table_extra', table: table.name, view: table.view });
  }
  return desired === declared ? changes : withEncryptionNotes(declared, changes);
};

/** Says why a column or index of an encrypted field is as it is (what `schema migrate` prints). */
const withEncryptionNotes = (declared: SchemaDef, changes: SchemaChange[]): SchemaChange[] => {
  const notes = new Map<string, string>();
  for (const table of declared.tables)
    for (const field of table.fields) {
      if (field.encrypted !== true) continue;
      notes.set(`${table.name}.${field.name}`, 'encrypted: the column holds the envelope');
      if (field.searchable === true)
        notes.set(
          `${table.name}.${blindIndexColumn(field.name)}`,
          `searchable: the blind index of ${field.name}${field.unique ? ', unique' : ''}`,
        );
    }
  return changes.map((change) => {
    const place =
      change.kind === 'column_missing' || change.kind === 'column_changed'
        ? change.column
        : change.kind === 'index_missing' || change.kind === 'index_changed'
          ? change.index
          : undefined;
    const note = place === undefined ? undefined : notes.get(`${change.table}.${place}`);
    return note === undefined ? change : { ...change, note };
  });
};
