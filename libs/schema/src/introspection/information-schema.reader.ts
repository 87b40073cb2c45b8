import type {
  RawCheck,
  RawColumn,
  RawDatabase,
  RawForeignKey,
  RawIndex,
  RawTable,
} from './raw-database.types.js';

export type {
  RawCheck,
  RawColumn,
  RawDatabase,
  RawForeignKey,
  RawIndex,
  RawTable,
} from './raw-database.types.js';

/** Runs one parameterised statement and resolves its rows (the db service's pool, or mysql2). */
export type IntrospectionQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/*
 * Five statements per database, never one per table: INFORMATION_SCHEMA lookups are slow on big
 * servers, and a scan through the db service is one IPC call for all of them. Every statement
 * is filtered by TABLE_SCHEMA = ?, so a least-privilege user reading only its own database works.
 */
const TABLES_SQL = `SELECT TABLE_NAME AS table_name, TABLE_TYPE AS table_type, ENGINE AS engine,
  TABLE_COMMENT AS table_comment
FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`;

const COLUMNS_SQL = `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name,
  ORDINAL_POSITION AS position, DATA_TYPE AS data_type, COLUMN_TYPE AS column_type,
  IS_NULLABLE AS is_nullable, COLUMN_DEFAULT AS column_default, EXTRA AS extra,
  COLUMN_COMMENT AS column_comment, CHARACTER_MAXIMUM_LENGTH AS max_length,
  NUMERIC_PRECISION AS numeric_precision, NUMERIC_SCALE AS numeric_scale,
  DATETIME_PRECISION AS datetime_precision, CHARACTER_SET_NAME AS charset,
  COLLATION_NAME AS collation, GENERATION_EXPRESSION AS generation
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?`;

const STATISTICS_SQL = `SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name,
  NON_UNIQUE AS non_unique, SEQ_IN_INDEX AS seq, COLUMN_NAME AS column_name,
  SUB_PART AS sub_part, INDEX_TYPE AS index_type
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?`;

const FOREIGN_KEYS_SQL = `SELECT k.TABLE_NAME AS table_name, k.CONSTRAINT_NAME AS constraint_name,
  k.COLUMN_NAME AS column_name, k.ORDINAL_POSITION AS position,
  k.REFERENCED_TABLE_SCHEMA AS referenced_schema, k.REFERENCED_TABLE_NAME AS referenced_table,
  k.REFERENCED_COLUMN_NAME AS referenced_column, r.UPDATE_RULE AS update_rule,
  r.DELETE_RULE AS delete_rule
FROM information_schema.KEY_COLUMN_USAGE k
JOIN information_schema.REFERENTIAL_CONSTRAINTS r
  ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
  AND r.TABLE_NAME = k.TABLE_NAME
WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL`;

const CHECKS_SQL = `SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS constraint_name,
  CHECK_CLAUSE AS check_clause
FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`;

/** Code-point order: the same on every machine and collation, unlike ORDER BY or localeCompare. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const text = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
};

const textOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : text(value);

const numberOrNull = (value: unknown): number | null => {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(typeof value === 'bigint' ? value : text(value));
  return Number.isFinite(n) ? n : null;
};

/** Groups rows by table name, keeping the order in which they came. */
const byTable = (rows: Record<string, unknown>[]): Map<string, Record<string, unknown>[]> => {
  const grouped = new Map<string, Record<string, unknown>[]>();
  for (const row of rows) {
    const table = text(row.table_name);
    const list = grouped.get(table);
    if (list) list.push(row);
    else grouped.set(table, [row]);
  }
  return grouped;
};

const toColumn = (row: Record<string, unknown>): RawColumn => ({
  name: text(row.column_name),
  position: numberOrNull(row.position) ?? 0,
  dataType: text(row.data_type).toLowerCase(),
  columnType: text(row.column_type),
  nullable: text(row.is_nullable).toUpperCase() === 'YES',
  default: textOrNull(row.column_default),
  extra: text(row.extra).toLowerCase().trim(),
  comment: text(row.column_comment),
  maxLength: numberOrNull(row.max_length),
  numericPrecision: numberOrNull(row.numeric_precision),
  numericScale: numberOrNull(row.numeric_scale),
  datetimePrecision: numberOrNull(row.datetime_precision),
  charset: textOrNull(row.charset),
  collation: textOrNull(row.collation),
  generation: textOrNull(row.generation),
});

const toIndexes = (rows: Record<string, unknown>[]): RawIndex[] => {
  const indexes = new Map<string, RawIndex & { seqs: number[] }>();
  for (const row of rows) {
    const name = text(row.index_name);
    let index = indexes.get(name);
    if (!index) {
      index = {
        name,
        unique: Number(text(row.non_unique)) === 0,
        indexType: text(row.index_type).toUpperCase(),
        columns: [],
        seqs: [],
      };
      indexes.set(name, index);
    }
    index.columns.push({ name: text(row.column_name), subPart: numberOrNull(row.sub_part) });
    index.seqs.push(numberOrNull(row.seq) ?? 0);
  }
  return [...indexes.values()]
    .map(({ seqs, columns, ...index }) => ({
      ...index,
      columns: columns
        .map((column, i) => ({ column, seq: seqs[i] }))
        .sort((a, b) => a.seq - b.seq)
        .map((c) => c.column),
    }))
    .sort((a, b) => byText(a.name, b.name));
};

const toForeignKeys = (rows: Record<string, unknown>[]): RawForeignKey[] => {
  const keys = new Map<
    string,
    { key: RawForeignKey; parts: { position: number; column: string; referenced: string }[] }
  >();
  for (const row of rows) {
    const name = text(row.constraint_name);
    let entry = keys.get(name);
    if (!entry) {
      entry = {
        key: {
          name,
          columns: [],
          referencedDatabase: text(row.referenced_schema),
          referencedTable: text(row.referenced_table),
          referencedColumns: [],
          onDelete: text(row.delete_rule).toUpperCase(),
          onUpdate: text(row.update_rule).toUpperCase(),
        },
        parts: [],
      };
      keys.set(name, entry);
    }
    entry.parts.push({
      position: numberOrNull(row.position) ?? 0,
      column: text(row.column_name),
      referenced: text(row.referenced_column),
    });
  }
  return [...keys.values()]
    .map(({ key, parts }) => {
      const ordered = [...parts].sort((a, b) => a.position - b.position);
      return {
        ...key,
        columns: ordered.map((part) => part.column),
        referencedColumns: ordered.map((part) => part.referenced),
      };
    })
    .sort((a, b) => byText(a.name, b.name));
};

const toChecks = (rows: Record<string, unknown>[]): RawCheck[] =>
  rows
    .map((row) => ({ name: text(row.constraint_name), clause: text(row.check_clause) }))
    .sort((a, b) => byText(a.name, b.name) || byText(a.clause, b.clause));

/**
 * Reads one database's tables, views, columns, indexes, foreign keys and checks straight from
 * INFORMATION_SCHEMA (five statements in all). `query` runs a statement with `?` placeholders;
 * `database` is the schema to read. The result is plain, sorted JSON (see RawDatabase).
 */
export const readDatabase = async (query: IntrospectionQuery, database: string): Promise<RawDatabase> => {
  const params = [database];
  const tableRows = await query(TABLES_SQL, params);
  const columns = byTable(await query(COLUMNS_SQL, params));
  const statistics = byTable(await query(STATISTICS_SQL, params));
  const foreignKeys = byTable(await query(FOREIGN_KEYS_SQL, params));
  const checks = byTable(await query(CHECKS_SQL, params));

  const tables: RawTable[] = tableRows
    .map((row): RawTable => {
      const name = text(row.table_name);
      const tableType = text(row.table_type).toUpperCase();
      const comment = text(row.table_comment);
      return {
        name,
        tableType,
        engine: textOrNull(row.engine),
        // MariaDB reports the word VIEW as the comment of every view.
        comment: tableType === 'VIEW' && comment === 'VIEW' ? '' : comment,
        columns: (columns.get(name) ?? []).map(toColumn).sort((a, b) => a.position - b.position),
        indexes: toIndexes(statistics.get(name) ?? []),
        foreignKeys: toForeignKeys(foreignKeys.get(name) ?? []),
        checks: toChecks(checks.get(name) ?? []),
      };
    })
    .sort((a, b) => byText(a.name, b.name));
  return { database, tables };
};
