import type { IntrospectionQuery } from './information-schema.reader.js';
import type { RawColumn, RawDatabase, RawForeignKey, RawIndex, RawTable } from './raw-database.types.js';
import { schemaIndexName } from '../migrate/sqlite-index-name.js';
import { readCreateTable, type CreateTableFacts } from './sqlite-create-table.parser.js';

/*
 * Four SELECTs over sqlite_schema joined with the pragma table-valued functions, never one per
 * table: the same statements run on a better-sqlite3 connection (the CLI) and through the db
 * service (one IPC call each). Internal tables (sqlite_sequence, sqlite_stat1) are not the app's.
 */
const USER_OBJECTS = `m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`;

const TABLES_SQL = `SELECT m.name AS table_name, m.type AS type, m.sql AS sql, t.wr AS without_rowid,
  t.strict AS strict
FROM sqlite_schema m LEFT JOIN pragma_table_list t ON t.schema = 'main' AND t.name = m.name
WHERE ${USER_OBJECTS}`;

const COLUMNS_SQL = `SELECT m.name AS table_name, c.cid AS cid, c.name AS column_name, c.type AS type,
  c."notnull" AS not_null, c.dflt_value AS dflt_value, c.pk AS pk, c.hidden AS hidden
FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) c
WHERE ${USER_OBJECTS}`;

const INDEXES_SQL = `SELECT m.name AS table_name, il.name AS index_name, il."unique" AS is_unique,
  il.origin AS origin, il.partial AS partial, ii.seqno AS seq, ii.name AS column_name
FROM sqlite_schema m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii
WHERE m.type = 'table' AND ${USER_OBJECTS}`;

const FOREIGN_KEYS_SQL = `SELECT m.name AS table_name, f.id AS id, f.seq AS seq, f."table" AS referenced_table,
  f."from" AS column_name, f."to" AS referenced_column, f.on_update AS on_update, f.on_delete AS on_delete
FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f
WHERE m.type = 'table' AND ${USER_OBJECTS}`;

type Row = Record<string, unknown>;

/** Code-point order, as the MariaDB reader sorts. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const text = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return '';
};
const num = (value: unknown): number => Number(text(value) || 0);

const groupByTable = (rows: Row[]): Map<string, Row[]> => {
  const grouped = new Map<string, Row[]>();
  for (const row of rows) {
    const list = grouped.get(text(row.table_name)) ?? [];
    list.push(row);
    grouped.set(text(row.table_name), list);
  }
  return grouped;
};

/**
 * A declared type as the raw shape holds it: `dataType` is the name without its `(n)` and
 * without MariaDB's signedness words (`varchar`, `int`, `unsigned big int` → `big int`), lower
 * case; `columnType` the whole declaration, lower case, single-spaced; sizes from the parentheses.
 */
export const declaredType = (
  declared: string,
): Pick<RawColumn, 'dataType' | 'columnType' | 'maxLength' | 'numericPrecision' | 'numericScale'> => {
  const columnType = declared.trim().replace(/\s+/g, ' ').toLowerCase();
  const dataType = columnType
    .replace(/\(.*\)/, ' ')
    .replace(/\b(unsigned|signed|zerofill)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const sizes = /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(columnType);
  const first = sizes ? Number(sizes[1]) : null;
  const second = sizes?.[2] !== undefined ? Number(sizes[2]) : null;
  return {
    dataType,
    columnType,
    maxLength: second === null ? first : null,
    numericPrecision: second === null ? null : first,
    numericScale: second,
  };
};

/** SQLite 3.23's TRUE/FALSE keywords are 1 and 0, as MariaDB reports them. */
const defaultOf = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  const written = text(value).trim();
  if (/^true$/i.test(written)) return '1';
  if (/^false$/i.test(written)) return '0';
  return written;
};

const toColumns = (rows: Row[], withoutRowid: boolean): RawColumn[] => {
  const keyColumns = rows.filter((row) => num(row.pk) > 0);
  // INTEGER PRIMARY KEY is the rowid itself: never NULL, numbered by SQLite (docs: rowidtable.html).
  const rowidAlias =
    !withoutRowid && keyColumns.length === 1 && text(keyColumns[0].type).trim().toUpperCase() === 'INTEGER'
      ? text(keyColumns[0].column_name)
      : null;
  return rows
    .filter((row) => num(row.hidden) !== 1) // hidden columns of virtual tables
    .map((row): RawColumn => {
      const name = text(row.column_name);
      const hidden = num(row.hidden);
      const key = num(row.pk) > 0;
      const extra = [
        name === rowidAlias ? 'auto_increment' : '',
        hidden === 2 ? 'virtual generated' : hidden === 3 ? 'stored generated' : '',
      ]
        .filter((word) => word !== '')
        .join(' ');
      return {
        name,
        position: num(row.cid) + 1,
        ...declaredType(text(row.type)),
        nullable: num(row.not_null) === 0 && name !== rowidAlias && !(withoutRowid && key),
        default: defaultOf(row.dflt_value),
        extra,
        comment: '',
        datetimePrecision: null,
        charset: null,
        collation: null,
        generation: null,
      };
    })
    .sort((a, b) => a.position - b.position);
};

const toIndexes = (
  table: string,
  rows: Row[],
  columns: readonly Row[],
  facts: CreateTableFacts,
): RawIndex[] => {
  const indexes = new Map<string, { index: RawIndex; seqs: number[]; origin: string }>();
  for (const row of rows) {
    const name = text(row.index_name);
    let entry = indexes.get(name);
    if (!entry) {
      entry = {
        index: { name, unique: num(row.is_unique) === 1, indexType: 'BTREE', columns: [] },
        seqs: [],
        origin: text(row.origin),
      };
      indexes.set(name, entry);
    }
    // An expression's column has no name: '' is no column, so the index is noted and left out.
    entry.index.columns.push({ name: text(row.column_name), subPart: null });
    entry.seqs.push(num(row.seq));
  }
  const result: RawIndex[] = [];
  for (const { index, seqs, origin } of indexes.values()) {
    // The key's own index (WITHOUT ROWID, or a key that is not INTEGER): the key says it all.
    if (origin === 'pk') continue;
    const ordered = index.columns
      .map((column, i) => ({ column, seq: seqs[i] }))
      .sort((a, b) => a.seq - b.seq);
    const fields = ordered.map((c) => c.column);
    let name = schemaIndexName(table, index.name);
    if (origin === 'u') {
      // UNIQUE in CREATE TABLE makes sqlite_autoindex_T_N; its CONSTRAINT name, else its column's (as MariaDB).
      const list = fields.map((c) => c.name).join(',');
      name = facts.uniqueNames.get(list) ?? (fields.length === 1 ? fields[0].name : index.name);
    }
    result.push({ ...index, name, columns: fields });
  }
  const key = columns
    .filter((row) => num(row.pk) > 0)
    .sort((a, b) => num(a.pk) - num(b.pk))
    .map((row) => ({ name: text(row.column_name), subPart: null }));
  if (key.length > 0) result.push({ name: 'PRIMARY', unique: true, indexType: 'BTREE', columns: key });
  return result.sort((a, b) => byText(a.name, b.name));
};

const toForeignKeys = (
  table: string,
  rows: Row[],
  database: string,
  facts: CreateTableFacts,
  keyOf: (table: string) => string[],
): RawForeignKey[] => {
  const keys = new Map<number, Row[]>();
  for (const row of rows) keys.set(num(row.id), [...(keys.get(num(row.id)) ?? []), row]);
  return [...keys.values()]
    .map((parts): RawForeignKey => {
      const ordered = [...parts].sort((a, b) => num(a.seq) - num(b.seq));
      const columns = ordered.map((row) => text(row.column_name));
      const referencedTable = text(ordered[0].referenced_table);
      // `REFERENCES t` without columns means t's primary key.
      const implied = keyOf(referencedTable);
      const referencedColumns = ordered.map((row, i) =>
        row.referenced_column === null || row.referenced_column === undefined
          ? (implied[i] ?? '')
          : text(row.referenced_column),
      );
      return {
        // SQLite names a key only in its CREATE TABLE text; unnamed ones get MariaDB-like names.
        name: facts.foreignKeyNames.get(columns.join(',')) ?? `fk_${table}_${columns.join('_')}`,
        columns,
        referencedDatabase: database,
        referencedTable,
        referencedColumns,
        onDelete: text(ordered[0].on_delete).toUpperCase(),
        onUpdate: text(ordered[0].on_update).toUpperCase(),
      };
    })
    .sort((a, b) => byText(a.name, b.name));
};

/**
 * Reads one SQLite database (`main`) into the shape the MariaDB reader gives (RawDatabase with
 * `engine: 'sqlite'`): tables (`engine` says `rowid`, `without rowid`, with ` strict`), views,
 * columns with their declared types, indexes (the key as PRIMARY), foreign keys and the CHECK
 * clauses of the CREATE TABLE text. `name` is the database's name in SOGOMS (the file's basename).
 */
export const readSqliteDatabase = async (query: IntrospectionQuery, name: string): Promise<RawDatabase> => {
  const tableRows = await query(TABLES_SQL, []);
  const columns = groupByTable(await query(COLUMNS_SQL, []));
  const indexes = groupByTable(await query(INDEXES_SQL, []));
  const foreignKeys = groupByTable(await query(FOREIGN_KEYS_SQL, []));
  const keyOf = (table: string): string[] =>
    (columns.get(table) ?? [])
      .filter((row) => num(row.pk) > 0)
      .sort((a, b) => num(a.pk) - num(b.pk))
      .map((row) => text(row.column_name));

  const tables = tableRows
    .map((row): RawTable => {
      const table = text(row.table_name);
      const view = text(row.type) === 'view';
      const withoutRowid = num(row.without_rowid) === 1;
      const facts = view ? readCreateTable('') : readCreateTable(text(row.sql));
      const columnRows = columns.get(table) ?? [];
      return {
        name: table,
        tableType: view ? 'VIEW' : 'BASE TABLE',
        engine: view
          ? null
          : `${withoutRowid ? 'without rowid' : 'rowid'}${num(row.strict) === 1 ? ' strict' : ''}`,
        comment: '',
        columns: toColumns(view ? columnRows.map((c) => ({ ...c, pk: 0 })) : columnRows, withoutRowid),
        indexes: view ? [] : toIndexes(table, indexes.get(table) ?? [], columnRows, facts),
        foreignKeys: view ? [] : toForeignKeys(table, foreignKeys.get(table) ?? [], name, facts, keyOf),
        checks: [...facts.checks].sort((a, b) => byText(a.name, b.name) || byText(a.clause, b.clause)),
      };
    })
    .sort((a, b) => byText(a.name, b.name));
  return { database: name, engine: 'sqlite', tables };
};
