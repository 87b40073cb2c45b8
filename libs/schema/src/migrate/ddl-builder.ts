import { columnTypeProblem, createTableProblem } from '../diff/column-facts.js';
import type { ForeignKeyShape, SchemaChange } from '../diff/schema-change.types.js';
import { foreignKeyOf, indexesOf, primaryKeyOf } from '../diff/schema-diff.js';
import { storageSchema } from '../model/encrypted-storage.js';
import { quoteIdentifier } from '../quote-identifier.js';
import type { SchemaDef, TableDef } from '../schema.types.js';
import { columnDefinition, columnList, foreignKeyClause, indexClause } from './column-ddl.js';
import { sqliteMigrationFor } from './sqlite-ddl-builder.js';
import { sqlStringLiteral } from './sql-literal.js';
import { planWholeTable, type WholeTablePlan } from './whole-table.plan.js';
import { creationOrder } from './table-creation-order.js';

export interface MigrationOptions {
  /** Emit DROP TABLE / DROP VIEW / DROP COLUMN (they lose data); otherwise they are skipped. */
  allowDrop: boolean;
  /** The database's engine; default mariadb. SQLite: what its ALTER TABLE can do (sqlite-ddl-builder.ts). */
  engine?: 'mariadb' | 'sqlite';
}

export interface Migration {
  /** Statements without the trailing `;`, to run in this order. */
  statements: string[];
  /** What a statement cannot do, one line each with the reason. */
  skipped: string[];
}

const FK_CHECKS_OFF = 'SET FOREIGN_KEY_CHECKS = 0';
const FK_CHECKS_ON = 'SET FOREIGN_KEY_CHECKS = 1';

interface PendingForeignKey {
  table: string;
  column: string;
  key: ForeignKeyShape;
}

/** The changes of one existing table, gathered for one ALTER TABLE. */
interface TableWork {
  addColumns: Set<string>;
  modifyColumns: Set<string>;
  dropColumns: string[];
  primaryKey?: { desired: string[]; live: string[] };
  comment?: string;
}

const alter = (table: string, clauses: string[]): string =>
  `ALTER TABLE ${quoteIdentifier(table)}\n  ${clauses.join(',\n  ')}`;

/**
 * CREATE TABLE with its columns, primary key, indexes and those foreign keys whose target exists
 * by then (`inline`); the others are added at the end.
 */
const createTable = (
  table: TableDef,
  inlineKey: (target: string) => boolean,
  deferred: PendingForeignKey[],
): string => {
  const lines = table.fields.map(columnDefinition);
  const key = primaryKeyOf(table);
  if (key.length > 0) lines.push(`PRIMARY KEY ${columnList(key)}`);
  for (const index of indexesOf(table)) lines.push(indexClause(index.name, index));
  for (const field of table.fields) {
    const foreign = foreignKeyOf(field);
    if (foreign === undefined) continue;
    if (inlineKey(foreign.table)) lines.push(foreignKeyClause(field.name, foreign));
    else deferred.push({ table: table.name, column: field.name, key: foreign });
  }
  const comment =
    table.comment === undefined || table.comment === ''
      ? ''
      : ` COMMENT = ${sqlStringLiteral(table.comment)}`;
  return `CREATE TABLE ${quoteIdentifier(table.name)} (\n  ${lines.join(',\n  ')}\n)${comment}`;
};

/**
 * MariaDB refuses to change the type of a column that a foreign key uses, on either side (error
 * 1832/1833, even with foreign key checks off). Such keys that otherwise stay as they are are
 * dropped first and added back after the ALTER; a key without a name in schema.yaml cannot be
 * dropped by name, and the ALTER then fails with MariaDB's message.
 */
const rebuildKeysAroundTypeChanges = (
  changes: readonly SchemaChange[],
  desired: SchemaDef,
  drop: (table: string, column: string, key: ForeignKeyShape) => boolean,
  add: PendingForeignKey[],
): void => {
  const place = (table: string, column: string): string => `${table}.${column}`;
  const untouchable = new Set<string>();
  const retyped = new Set<string>();
  for (const change of changes) {
    if (change.kind === 'table_missing') untouchable.add(change.table);
    if (
      change.kind === 'foreign_key_missing' ||
      change.kind === 'foreign_key_extra' ||
      change.kind === 'foreign_key_changed'
    )
      untouchable.add(place(change.table, change.column));
    if (change.kind === 'column_changed' && change.aspect === 'type')
      retyped.add(place(change.table, change.column));
  }
  if (retyped.size === 0) return;
  for (const table of desired.tables) {
    if (table.view || untouchable.has(table.name)) continue;
    for (const field of table.fields) {
      const key = foreignKeyOf(field);
      if (key === undefined || key.name === undefined || untouchable.has(place(table.name, field.name)))
        continue;
      if (!retyped.has(place(table.name, field.name)) && !retyped.has(place(key.table, key.field))) continue;
      if (drop(table.name, field.name, key)) add.push({ table: table.name, column: field.name, key });
    }
  }
};

/**
 * The MariaDB DDL that brings the database from `live` to `desired`, given `diffSchemas(desired,
 * live)`. Order: drop foreign keys and indexes that go or change; drop tables (only with
 * allowDrop, foreign key checks off around them); alter existing tables (columns, primary key,
 * comment: one ALTER per table); add and rebuild their indexes; create missing tables in
 * foreign-key order; add the remaining foreign keys. Views are never created (schema.yaml has no
 * view SQL) and a table is never turned into a view or back: those are `skipped`, with the drops
 * refused for lack of allowDrop.
 */
export const migrationFor = (
  changes: readonly SchemaChange[],
  declared: SchemaDef,
  options: MigrationOptions,
): Migration => {
  // Encrypted fields as stored: the envelope's column, the blind index and its index (diffSchemas does the same).
  const desired = storageSchema(declared);
  if (options.engine === 'sqlite') return sqliteMigrationFor(changes, desired, options);
  const tables = new Map(desired.tables.map((t) => [t.name, t]));
  const dropForeignKeys: string[] = [];
  const dropIndexes: string[] = [];
  const dropTables: string[] = [];
  const alterTables: string[] = [];
  const indexStatements: string[] = [];
  const addForeignKeys: PendingForeignKey[] = [];
  const skipped: string[] = [];
  const work = new Map<string, TableWork>();
  const toCreate: TableDef[] = [];

  const workOf = (table: string): TableWork => {
    let entry = work.get(table);
    if (entry === undefined) {
      entry = { addColumns: new Set(), modifyColumns: new Set(), dropColumns: [] };
      work.set(table, entry);
    }
    return entry;
  };
  const dropForeignKey = (table: string, column: string, key: ForeignKeyShape): boolean => {
    if (key.name === undefined) {
      skipped.push(`${table}.${column}: the foreign key has no constraint name to drop it by`);
      return false;
    }
    dropForeignKeys.push(
      `ALTER TABLE ${quoteIdentifier(table)} DROP FOREIGN KEY ${quoteIdentifier(key.name)}`,
    );
    return true;
  };

  const plan: WholeTablePlan = { toCreate, dropTables, skipped };
  for (const change of changes) {
    const table = tables.get(change.table);
    if (planWholeTable(change, table, options.allowDrop, plan)) continue;
    switch (change.kind) {
      case 'table_comment':
        workOf(change.table).comment = table?.comment ?? '';
        break;
      case 'column_missing':
        if (table?.view)
          skipped.push(
            `${change.table}.${change.column}: a view's columns come from its SQL, which migrate does not change`,
          );
        else workOf(change.table).addColumns.add(change.column);
        break;
      case 'column_extra':
        if (table?.view)
          skipped.push(
            `${change.table}.${change.column}: a view's columns come from its SQL, which migrate does not change`,
          );
        else if (options.allowDrop) workOf(change.table).dropColumns.push(change.column);
        else skipped.push(`DROP COLUMN ${change.table}.${change.column}: needs --allow-drop`);
        break;
      case 'column_changed':
        workOf(change.table).modifyColumns.add(change.column);
        break;
      case 'primary_key_changed':
        workOf(change.table).primaryKey = { desired: change.desired, live: change.live };
        break;
      case 'index_missing':
        indexStatements.push(alter(change.table, [`ADD ${indexClause(change.index, change.desired)}`]));
        break;
      case 'index_extra':
        dropIndexes.push(
          `ALTER TABLE ${quoteIdentifier(change.table)} DROP INDEX ${quoteIdentifier(change.index)}`,
        );
        break;
      case 'index_changed':
        // One statement, so a foreign key that needs the index is never left without one.
        indexStatements.push(
          alter(change.table, [
            `DROP INDEX ${quoteIdentifier(change.index)}`,
            `ADD ${indexClause(change.index, change.desired)}`,
          ]),
        );
        break;
      case 'foreign_key_missing':
        addForeignKeys.push({ table: change.table, column: change.column, key: change.desired });
        break;
      case 'foreign_key_extra':
        dropForeignKey(change.table, change.column, change.live);
        break;
      case 'foreign_key_changed':
        if (dropForeignKey(change.table, change.column, change.live))
          addForeignKeys.push({ table: change.table, column: change.column, key: change.desired });
        break;
    }
  }

  for (const [name, entry] of work) {
    const table = tables.get(name);
    if (table === undefined) continue;
    const clauses: string[] = [];
    table.fields.forEach((field, i) => {
      const adding = entry.addColumns.has(field.name);
      if (!adding && !entry.modifyColumns.has(field.name)) return;
      const problem = columnTypeProblem(field);
      if (problem !== undefined) {
        skipped.push(`${name}.${field.name}: ${problem}`);
        return;
      }
      if (adding) {
        const place = i === 0 ? 'FIRST' : `AFTER ${quoteIdentifier(table.fields[i - 1].name)}`;
        clauses.push(`ADD COLUMN ${columnDefinition(field)} ${place}`);
      } else {
        clauses.push(`MODIFY COLUMN ${columnDefinition(field)}`);
      }
    });
    if (entry.primaryKey !== undefined) {
      if (entry.primaryKey.live.length > 0) clauses.push('DROP PRIMARY KEY');
      if (entry.primaryKey.desired.length > 0)
        clauses.push(`ADD PRIMARY KEY ${columnList(entry.primaryKey.desired)}`);
    }
    for (const column of entry.dropColumns) clauses.push(`DROP COLUMN ${quoteIdentifier(column)}`);
    if (entry.comment !== undefined) clauses.push(`COMMENT = ${sqlStringLiteral(entry.comment)}`);
    if (clauses.length > 0) alterTables.push(alter(name, clauses));
  }

  rebuildKeysAroundTypeChanges(changes, desired, dropForeignKey, addForeignKeys);

  const creates: string[] = [];
  const notYetCreated = new Set(toCreate.map((t) => t.name));
  for (const table of creationOrder(toCreate)) {
    const problem = createTableProblem(table);
    if (problem !== undefined) {
      skipped.push(problem);
      continue;
    }
    // A key to itself or to a table that exists by now goes inline; one to a later table waits.
    creates.push(
      createTable(table, (target) => target === table.name || !notYetCreated.has(target), addForeignKeys),
    );
    notYetCreated.delete(table.name);
  }

  const statements = [
    ...dropForeignKeys,
    ...dropIndexes,
    ...(dropTables.length > 0 ? [FK_CHECKS_OFF, ...dropTables, FK_CHECKS_ON] : []),
    ...alterTables,
    ...indexStatements,
    ...creates,
    ...addForeignKeys.map((pending) =>
      alter(pending.table, [`ADD ${foreignKeyClause(pending.column, pending.key)}`]),
    ),
  ];
  return { statements, skipped };
};
