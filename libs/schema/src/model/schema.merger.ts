import type { FieldDef, RelationDef, SchemaDef, TableDef } from '../schema.types.js';
import { declaredFromStorage } from './encrypted-storage.js';
import { uniqueRelationName } from './relation-name.js';
import { defaultCrud } from './schema-defaults.js';
import { compareText } from './schema-finding.js';

/** What a re-scan changed, for the person running it. Fields as `table.field`. */
export interface MergeReport {
  addedTables: string[];
  addedFields: string[];
  /** In schema.yaml but not in the database: kept in the file, listed here. */
  droppedTables: string[];
  droppedFields: string[];
  /** Fields whose database facts (type, nullability, default, key, foreign key ...) changed. */
  changedFields: string[];
}

/**
 * A fresh scan merged into the schema.yaml a person may have edited. From `scanned` (the
 * database): column facts, primary key, indexes, foreign keys, new tables and fields, new
 * relations. From `existing` (the file): every option a person sets — crud, public, filter,
 * owner_field, owner_bypass, order, filters, hidden, readonly, auth, comments, the view flag —
 * and its relations, whatever their names. Tables and fields the database no longer has stay in
 * the file (at their place) and are reported, never dropped. `scanned` should carry its derived
 * relations (deriveRelations). Merging the result again with the same scan changes nothing.
 */
export const mergeSchemas = (
  existing: SchemaDef | null,
  scanned: SchemaDef,
): { schema: SchemaDef; report: MergeReport } => {
  const report: MergeReport = {
    addedTables: [],
    addedFields: [],
    droppedTables: [],
    droppedFields: [],
    changedFields: [],
  };
  const old = new Map((existing?.tables ?? []).map((t) => [t.name, t]));
  const fresh = new Set(scanned.tables.map((t) => t.name));
  const tables: TableDef[] = scanned.tables.map((table) => {
    const before = old.get(table.name);
    if (before === undefined) {
      report.addedTables.push(table.name);
      return table;
    }
    return mergeTable(before, table, report);
  });
  for (const table of existing?.tables ?? []) {
    if (fresh.has(table.name)) continue;
    report.droppedTables.push(table.name);
    tables.push(table);
  }
  tables.sort((a, b) => compareText(a.name, b.name));
  for (const list of [report.addedTables, report.droppedTables]) list.sort(compareText);
  return { schema: { version: scanned.version, tables }, report };
};

const mergeTable = (before: TableDef, stored: TableDef, report: MergeReport): TableDef => {
  // An encrypted field's column holds the envelope and has a blind index beside it: read back
  // as the file declares it, so a re-scan reports nothing (docs/crypt.md).
  const scanned = declaredFromStorage(before, stored);
  const oldFields = new Map(before.fields.map((f) => [f.name, f]));
  const scannedNames = new Set(scanned.fields.map((f) => f.name));
  const fields = scanned.fields.map((field) => {
    const was = oldFields.get(field.name);
    if (was === undefined) {
      report.addedFields.push(`${scanned.name}.${field.name}`);
      return field;
    }
    if (factsKey(was) !== factsKey(field)) report.changedFields.push(`${scanned.name}.${field.name}`);
    return mergeField(was, field);
  });
  // A field the database lacks stays after the field it followed in the file.
  let after = -1;
  for (const field of before.fields) {
    if (scannedNames.has(field.name)) {
      after = fields.findIndex((f) => f.name === field.name);
      continue;
    }
    report.droppedFields.push(`${scanned.name}.${field.name}`);
    // The key is the database's: a kept field is in it only if the scan says so.
    fields.splice(after + 1, 0, { ...field, primary: scanned.primary.includes(field.name) });
    after += 1;
  }
  const view = before.view || scanned.view;
  // A crud left at its default follows the default of the table as it is now.
  const crud = sameList(before.crud, defaultCrud(before.view, before.primary))
    ? defaultCrud(view, scanned.primary)
    : before.crud;
  const merged: TableDef = {
    name: scanned.name,
    primary: scanned.primary,
    fields,
    indexes: scanned.indexes,
    relations: mergeRelations(before.relations, scanned.relations, fields),
    crud,
    public: before.public,
    ownerField: before.ownerField,
    ownerBypass: before.ownerBypass,
    order: before.order,
    filters: before.filters,
    view,
  };
  const comment = before.comment ?? scanned.comment;
  if (comment !== undefined) merged.comment = comment;
  if (before.filter !== undefined) merged.filter = before.filter;
  return merged;
};

/** Database facts from the scan; hidden, readonly, auth, encryption and the comment from the file. */
const mergeField = (before: FieldDef, scanned: FieldDef): FieldDef => {
  const { comment: scannedComment, auth: _auth, ...facts } = scanned;
  const merged: FieldDef = { ...facts, hidden: before.hidden, readonly: before.readonly };
  if (before.auth !== undefined) merged.auth = before.auth;
  if (before.encrypted === true) merged.encrypted = true;
  if (before.searchable === true) merged.searchable = true;
  const comment = before.comment ?? scannedComment;
  if (comment !== undefined) merged.comment = comment;
  return merged;
};

/**
 * The file's relations, names and order kept (hand-added or renamed ones too), then the scan's
 * relations the file does not have yet — same kind, tables and fields — named so they collide
 * with no field or kept relation.
 */
const mergeRelations = (
  before: readonly RelationDef[],
  scanned: readonly RelationDef[],
  fields: readonly FieldDef[],
): RelationDef[] => {
  const known = new Set(before.map(relationKey));
  const taken = new Set([...fields.map((f) => f.name), ...before.map((r) => r.name)]);
  const relations = [...before];
  for (const relation of scanned) {
    if (known.has(relationKey(relation))) continue;
    const name = uniqueRelationName(relation.name, taken);
    taken.add(name);
    relations.push({ ...relation, name });
  }
  return relations;
};

/** What a relation joins, without its name. */
const relationKey = (r: RelationDef): string =>
  r.type === 'many_to_many'
    ? [r.type, r.table, r.through, r.field, r.references, r.targetField, r.targetReferences].join('|')
    : [r.type, r.table, r.field, r.references].join('|');

/** The facts of a field the database owns, as one comparable string. */
const factsKey = (f: FieldDef): string =>
  JSON.stringify([
    f.type,
    f.dbType ?? null,
    f.length ?? null,
    f.precision ?? null,
    f.scale ?? null,
    f.values ?? null,
    f.unsigned,
    f.primary,
    f.auto,
    f.unique,
    f.required,
    f.nullable,
    f.default === undefined ? ['none'] : ['default', f.default],
    f.onUpdate ?? null,
    f.foreign === undefined
      ? null
      : [f.foreign.table, f.foreign.field, f.foreign.name ?? null, f.foreign.onDelete, f.foreign.onUpdate],
  ]);

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((item, i) => item === b[i]);
