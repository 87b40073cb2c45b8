import { runSteps, SogomsError, type Steps } from '@sogoms/common';
import { MARIADB_DIALECT, type SqlDialect } from '@sogoms/db/dialect';
import { quoteIdentifier, type RelationDef, type SchemaDef } from '@sogoms/schema';
import {
  compileTable,
  type CompiledField,
  type CompiledRelation,
  type CompiledTable,
  type OwnerLink,
  type UsersTableRule,
} from './compiled-table.js';
import type { AppCrypt } from './field-encryption.js';
import { ownerReferencesOf } from './owner-references.js';
import type { TableQueryOverrides } from './query-overrides.loader.js';

/** Every table of one app's schema.yaml, compiled once per config version (empty without a schema). */
export interface CompiledApp {
  tables: ReadonlyMap<string, CompiledTable>;
}

export const EMPTY_COMPILED_APP: CompiledApp = { tables: new Map() };

/** Alias of the join table in a many_to_many query: the target and the join table may share column names. */
const THROUGH_ALIAS = quoteIdentifier('__sogoms_through');

const fieldOf = (table: CompiledTable, name: string, relation: string) => {
  const field = table.fields.get(name);
  if (field === undefined)
    throw new SogomsError('BAD_REQUEST', `Relation ${relation} names unknown field ${table.name}.${name}`);
  return field;
};

/** Whether a field's values are unique in its table: a one-column primary key or unique index. */
const isUnique = (table: CompiledTable, field: CompiledField): boolean =>
  (table.key.length === 1 && table.key[0] === field) ||
  field.def.unique ||
  table.def.indexes.some((i) => i.unique && i.fields.length === 1 && i.fields[0] === field.name);

const compileRelation = (
  parent: CompiledTable,
  def: RelationDef,
  tables: ReadonlyMap<string, CompiledTable>,
): CompiledRelation => {
  const where = `${parent.name}.${def.name}`;
  const target = tables.get(def.table);
  if (target === undefined)
    throw new SogomsError('BAD_REQUEST', `Relation ${where} names unknown table ${def.table}`);
  switch (def.type) {
    case 'belongs_to': {
      const references = fieldOf(target, def.references, where);
      return {
        def,
        name: def.name,
        target,
        many: false,
        parentField: fieldOf(parent, def.field, where),
        from: target.table,
        match: references.qualified,
        joinOn: isUnique(target, references) ? references : null,
      };
    }
    case 'has_many':
      return {
        def,
        name: def.name,
        target,
        many: true,
        parentField: fieldOf(parent, def.references, where),
        from: target.table,
        match: fieldOf(target, def.field, where).qualified,
        joinOn: null,
      };
    case 'many_to_many': {
      const through = tables.get(def.through);
      if (through === undefined)
        throw new SogomsError('BAD_REQUEST', `Relation ${where} names unknown table ${def.through}`);
      const targetField = fieldOf(through, def.targetField, where).column;
      const targetReferences = fieldOf(target, def.targetReferences, where).qualified;
      return {
        def,
        name: def.name,
        target,
        many: true,
        parentField: fieldOf(parent, def.references, where),
        from: `${target.table} JOIN ${through.table} AS ${THROUGH_ALIAS} ON ${THROUGH_ALIAS}.${targetField} = ${targetReferences}`,
        match: `${THROUGH_ALIAS}.${fieldOf(through, def.field, where).column}`,
        joinOn: null,
      };
    }
  }
};

/**
 * A table with no owner rule of its own inherits its parents' through its foreign keys to
 * owner-filtered tables (not to the users table): task_tags rows are yours when their task and
 * their tag are. Their bypass roles carry over.
 */
const linkOwners = (table: CompiledTable, tables: ReadonlyMap<string, CompiledTable>): void => {
  if (table.owner !== null || table.def.view) return;
  const links = table.ownerLinks as OwnerLink[];
  const bypass = table.ownerBypass as Set<string>;
  for (const field of table.fields.values()) {
    const foreign = field.def.foreign;
    const parent = foreign === undefined ? undefined : tables.get(foreign.table);
    if (parent === undefined || parent === table || parent.owner === null || parent.isUsersTable) continue;
    const parentKey = parent.fields.get(foreign!.field);
    if (parentKey === undefined) continue;
    links.push({ field, parent, parentKey });
    for (const role of parent.ownerBypass) bypass.add(role);
  }
};

/**
 * Compiles a schema for the REST runtime. A schema that names unknown tables or fields throws,
 * so a broken schema.yaml keeps the previous snapshot (GatewayState keeps it when a build throws).
 */
export const compileApp = (
  schema: SchemaDef | null,
  overrides: ReadonlyMap<string, TableQueryOverrides> = new Map(),
  users?: UsersTableRule,
  dialect: SqlDialect = MARIADB_DIALECT,
  crypt: AppCrypt | null = null,
): CompiledApp => runSteps(compileAppSteps(schema, overrides, users, dialect, crypt));

/** compileApp, yielding after each table (a reload runs it in slices: see runInSlices). */
export function* compileAppSteps(
  schema: SchemaDef | null,
  overrides: ReadonlyMap<string, TableQueryOverrides> = new Map(),
  users?: UsersTableRule,
  dialect: SqlDialect = MARIADB_DIALECT,
  crypt: AppCrypt | null = null,
): Steps<CompiledApp> {
  if (schema === null) return EMPTY_COMPILED_APP;
  const tables = new Map<string, CompiledTable>();
  for (const t of schema.tables) {
    tables.set(t.name, compileTable(t, overrides.get(t.name), users, dialect, crypt));
    yield;
  }
  for (const table of tables.values()) {
    linkOwners(table, tables);
    const relations = table.relations as Map<string, CompiledRelation>;
    for (const def of table.def.relations) relations.set(def.name, compileRelation(table, def, tables));
    yield;
  }
  // After every table's links: a parent may be owned through its own parents.
  for (const table of tables.values()) table.ownerReferences = ownerReferencesOf(table, tables);
  return { tables };
}

declare module '../runtime/app-runtime.js' {
  interface AppRuntime {
    /** The REST runtime compiled from `schema`: per-table codecs, SQL pieces, relation plans. */
    crud: CompiledApp;
  }
}
