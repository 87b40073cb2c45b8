import { SQLITE_DIALECT } from '@sogoms/db/dialect';
import { columnDefaultOf, columnType, columnTypeProblem, createTableProblem } from '../diff/column-facts.js';
import type { IndexShape, SchemaChange } from '../diff/schema-change.types.js';
import { foreignKeyOf, indexesOf, primaryKeyOf } from '../diff/schema-diff.js';
import { quoteIdentifier } from '../quote-identifier.js';
import type { FieldDef, SchemaDef, TableDef } from '../schema.types.js';
import { columnList, defaultClause, foreignKeyClause, referencesClause } from './column-ddl.js';
import type { Migration, MigrationOptions } from './ddl-builder.js';
import { sqlStringLiteral } from './sql-literal.js';
import { planWholeTable, type WholeTablePlan } from './whole-table.plan.js';
import { sqliteIndexName } from './sqlite-index-name.js';
import { creationOrder } from './table-creation-order.js';

/** The manual way for what SQLite's ALTER TABLE cannot do, in one sentence. */
export const SQLITE_REBUILD =
  "SQLite's ALTER TABLE cannot do this: rebuild the table by hand (https://sqlite.org/lang_altertable.html#otheralter: " +
  'with foreign keys off, in one transaction, create the new table under another name, copy the rows, drop the old ' +
  'table, rename the new one, recreate its indexes, triggers and views, and check the foreign keys)';

/** `INTEGER PRIMARY KEY` is the rowid: the one way SQLite numbers rows by itself. */
const isRowidKey = (table: TableDef, field: FieldDef): boolean => {
  const key = primaryKeyOf(table);
  return (
    field.auto &&
    key.length === 1 &&
    key[0] === field.name &&
    (field.type === 'int' || field.type === 'bigint')
  );
};

/** An enum is text with a CHECK of its values, as the SQLite reader reads one back. */
const enumCheck = (field: FieldDef): string =>
  `CHECK (${quoteIdentifier(field.name)} IN (${(field.values ?? []).map(sqlStringLiteral).join(', ')}))`;

const sqliteType = (field: FieldDef): string => {
  if (field.type === 'enum') return `varchar(${Math.max(1, ...(field.values ?? []).map((v) => v.length))})`;
  // A set has no CHECK that SQLite can say simply: its text is stored as given.
  if (field.type === 'set') return 'text';
  return columnType(field);
};

/** The column in SQLite's words; the rowid key as `INTEGER PRIMARY KEY AUTOINCREMENT` (ids never reused, as InnoDB's). */
const columnDefinition = (table: TableDef, field: FieldDef): string => {
  if (isRowidKey(table, field)) return `${quoteIdentifier(field.name)} INTEGER PRIMARY KEY AUTOINCREMENT`;
  const parts = [quoteIdentifier(field.name), sqliteType(field), field.nullable ? 'NULL' : 'NOT NULL'];
  const fallback = defaultClause(field, SQLITE_DIALECT);
  if (fallback !== undefined) parts.push(fallback);
  if (field.type === 'enum') parts.push(enumCheck(field));
  return parts.join(' ');
};

const createIndex = (table: string, name: string, index: IndexShape): string =>
  `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdentifier(sqliteIndexName(table, name))} ON ${quoteIdentifier(table)} ${columnList(index.fields)}`;

/** What schema.yaml says that SQLite cannot keep; listed as skipped, never silently dropped. */
const unkeptFacts = (table: TableDef, field: FieldDef): string[] => {
  const lost: string[] = [];
  if (field.onUpdate !== undefined)
    lost.push(`${table.name}.${field.name}: SQLite has no ON UPDATE; use a trigger`);
  if (field.auto && !isRowidKey(table, field))
    lost.push(`${table.name}.${field.name}: SQLite numbers only an INTEGER PRIMARY KEY by itself; not auto`);
  return lost;
};

/**
 * CREATE TABLE with its columns, primary key, the unique keys of `unique: true` fields and
 * every foreign key inline (SQLite checks a reference when rows are written, so the target need
 * not exist yet); then one CREATE INDEX per index. Fulltext and spatial indexes are skipped.
 */
const createTable = (table: TableDef, skipped: string[]): string[] => {
  const lines = table.fields.map((field) => columnDefinition(table, field));
  const key = primaryKeyOf(table);
  if (key.length > 0 && !table.fields.some((field) => isRowidKey(table, field)))
    lines.push(`PRIMARY KEY ${columnList(key)}`);
  const indexes: string[] = [];
  for (const index of indexesOf(table)) {
    if (index.kind !== undefined) {
      skipped.push(
        `${table.name}: SQLite has no ${index.kind} index ${index.name}; use FTS5 or R*Tree by hand`,
      );
      continue;
    }
    // A field's `unique: true` is a constraint named after the column, as MariaDB names it.
    if (index.implied)
      lines.push(`CONSTRAINT ${quoteIdentifier(index.name)} UNIQUE ${columnList(index.fields)}`);
    else indexes.push(createIndex(table.name, index.name, index));
  }
  for (const field of table.fields) {
    const foreign = foreignKeyOf(field);
    if (foreign !== undefined) lines.push(foreignKeyClause(field.name, foreign));
    skipped.push(...unkeptFacts(table, field));
  }
  if (table.comment !== undefined && table.comment !== '')
    skipped.push(`${table.name}: SQLite keeps no table comment`);
  return [`CREATE TABLE ${quoteIdentifier(table.name)} (\n  ${lines.join(',\n  ')}\n)`, ...indexes];
};

/** ADD COLUMN as SQLite allows it: no key, a NOT NULL column only with a default, a reference only with a NULL default. */
const addColumn = (table: TableDef, field: FieldDef): { sql: string } | { refused: string } => {
  const where = `${table.name}.${field.name}`;
  const problem = columnTypeProblem(field);
  if (problem !== undefined) return { refused: `${where}: ${problem}` };
  if (primaryKeyOf(table).includes(field.name))
    return { refused: `adding key column ${where}: ${SQLITE_REBUILD}` };
  if (!field.nullable && columnDefaultOf(field).kind === 'none')
    return { refused: `adding ${where} NOT NULL without a default: give it a default, or ${SQLITE_REBUILD}` };
  const foreign = foreignKeyOf(field);
  if (foreign !== undefined && !field.nullable)
    return {
      refused: `adding ${where} with a foreign key: SQLite adds a reference only to a nullable column; ${SQLITE_REBUILD}`,
    };
  const reference = foreign === undefined ? '' : ` ${referencesClause(foreign)}`;
  return {
    sql: `ALTER TABLE ${quoteIdentifier(table.name)} ADD COLUMN ${columnDefinition(table, field)}${reference}`,
  };
};

/**
 * The SQLite DDL that brings the database from `live` to `desired`, given `diffSchemas(desired,
 * live)`: what SQLite's ALTER TABLE can do (https://sqlite.org/lang_altertable.html), in this
 * order: drop indexes that go or change; drop tables and columns (only with allowDrop, foreign
 * keys off around dropped tables); add columns; create tables (foreign keys inline); create
 * indexes. Anything else (a column's type, nullability or default, a primary or foreign key of
 * an existing table, a column with a foreign key) is refused in `skipped`, naming table.column,
 * the change and the manual way (SQLITE_REBUILD).
 */
export const sqliteMigrationFor = (
  changes: readonly SchemaChange[],
  desired: SchemaDef,
  options: MigrationOptions,
): Migration => {
  const tables = new Map(desired.tables.map((t) => [t.name, t]));
  const dropIndexes: string[] = [];
  const dropTables: string[] = [];
  const alterTables: string[] = [];
  const createIndexes: string[] = [];
  const skipped: string[] = [];
  const toCreate: TableDef[] = [];
  const addedColumns = new Set(
    changes.flatMap((change) =>
      change.kind === 'column_missing' ? [`${change.table}.${change.column}`] : [],
    ),
  );
  const droppedKeys = new Set(
    changes.flatMap((change) =>
      change.kind === 'foreign_key_extra' ? [`${change.table}.${change.column}`] : [],
    ),
  );
  const viewColumn = (table: string, column: string): string =>
    `${table}.${column}: a view's columns come from its SQL, which migrate does not change`;

  const plan: WholeTablePlan = { toCreate, dropTables, skipped };
  for (const change of changes) {
    const table = tables.get(change.table);
    if (planWholeTable(change, table, options.allowDrop, plan)) continue;
    switch (change.kind) {
      case 'table_comment':
        skipped.push(`${change.table}: SQLite keeps no table comment`);
        break;
      case 'column_missing': {
        const field = table?.fields.find((f) => f.name === change.column);
        if (table === undefined || field === undefined) break;
        if (table.view) {
          skipped.push(viewColumn(change.table, change.column));
          break;
        }
        const added = addColumn(table, field);
        if ('sql' in added) {
          alterTables.push(added.sql);
          skipped.push(...unkeptFacts(table, field));
        } else skipped.push(added.refused);
        break;
      }
      case 'column_extra':
        if (table?.view) skipped.push(viewColumn(change.table, change.column));
        else if (!options.allowDrop)
          skipped.push(`DROP COLUMN ${change.table}.${change.column}: needs --allow-drop`);
        else if (droppedKeys.has(`${change.table}.${change.column}`))
          skipped.push(
            `dropping ${change.table}.${change.column}, which has a foreign key: ${SQLITE_REBUILD}`,
          );
        else
          alterTables.unshift(
            `ALTER TABLE ${quoteIdentifier(change.table)} DROP COLUMN ${quoteIdentifier(change.column)}`,
          );
        break;
      case 'column_changed':
        if (change.aspect === 'comment')
          skipped.push(`${change.table}.${change.column}: SQLite keeps no column comment`);
        else if (change.aspect === 'on_update')
          skipped.push(`${change.table}.${change.column}: SQLite has no ON UPDATE; use a trigger`);
        else
          skipped.push(
            `changing ${change.table}.${change.column}'s ${change.aspect} from ${change.live} to ${change.desired}: ${SQLITE_REBUILD}`,
          );
        break;
      case 'primary_key_changed':
        skipped.push(
          `changing ${change.table}'s primary key from (${change.live.join(', ')}) to (${change.desired.join(', ')}): ${SQLITE_REBUILD}`,
        );
        break;
      case 'index_missing':
        if (change.desired.kind !== undefined)
          skipped.push(
            `${change.table}: SQLite has no ${change.desired.kind} index ${change.index}; use FTS5 or R*Tree by hand`,
          );
        else createIndexes.push(createIndex(change.table, change.index, change.desired));
        break;
      case 'index_extra':
        // IF EXISTS: a UNIQUE written in CREATE TABLE reads as an index too, but only a rebuild drops it.
        dropIndexes.push(
          `DROP INDEX IF EXISTS ${quoteIdentifier(sqliteIndexName(change.table, change.index))}`,
        );
        break;
      case 'index_changed':
        dropIndexes.push(`DROP INDEX ${quoteIdentifier(sqliteIndexName(change.table, change.index))}`);
        createIndexes.push(createIndex(change.table, change.index, change.desired));
        break;
      case 'foreign_key_missing':
        // A column added now carries its reference in the ADD COLUMN.
        if (!addedColumns.has(`${change.table}.${change.column}`))
          skipped.push(`adding a foreign key to ${change.table}.${change.column}: ${SQLITE_REBUILD}`);
        break;
      case 'foreign_key_extra':
        if (!options.allowDrop || tables.get(change.table)?.fields.some((f) => f.name === change.column))
          skipped.push(`dropping the foreign key of ${change.table}.${change.column}: ${SQLITE_REBUILD}`);
        break;
      case 'foreign_key_changed':
        skipped.push(`changing the foreign key of ${change.table}.${change.column}: ${SQLITE_REBUILD}`);
        break;
    }
  }

  const creates = creationOrder(toCreate).flatMap((table) => {
    const problem = createTableProblem(table);
    if (problem === undefined) return createTable(table, skipped);
    skipped.push(problem);
    return [];
  });

  const statements = [
    ...dropIndexes,
    ...(dropTables.length > 0
      ? ['PRAGMA foreign_keys = OFF', ...dropTables, 'PRAGMA foreign_keys = ON']
      : []),
    ...alterTables,
    ...creates,
    ...createIndexes,
  ];
  return { statements, skipped };
};
