/**
 * What the SQL text of each engine differs in: the one place that knows. The SQL builders (the
 * gateway's generated API, the auth statements, the tables services keep) ask the app's dialect
 * and never branch on the engine themselves.
 *
 * Alike on both, so not here: identifiers in backticks (SQLite accepts MySQL's quoting), `?`
 * placeholders (the SQLite engine expands a list bound to `IN (?)` as mysql2 does), `LIMIT ?
 * OFFSET ?`, `COUNT(*)` in an uncorrelated subquery for the total.
 */
export interface SqlDialect {
  readonly engine: 'mariadb' | 'sqlite';
  /** The auto-increment key the last INSERT on this connection produced. */
  readonly lastInsertId: string;
  /** A geometry column read as WKT text (`expression` is the qualified column). */
  geometryAsText(expression: string): string;
  /** The value written to a geometry column from WKT bound at `placeholder`. */
  geometryFromText(placeholder: string): string;
  /**
   * The SET value that resets a column to its default in an UPDATE. MariaDB has `DEFAULT`;
   * SQLite does not, so the schema's default stands in (`sql` as written, `null` for none).
   */
  updateToDefault(schemaDefault: DefaultValue): { sql: string; params: SqlDefaultParam[] };
  /** A `{ sql }` default from schema.yaml as a column definition writes it after DEFAULT. */
  defaultExpression(sql: string): string;
  /** `INSERT ... ` that skips a row whose unique key exists already (no error, no change). */
  insertIfAbsent(table: string, columns: readonly string[]): string;
  /** `INSERT ... ` that updates `update` columns of the row whose unique `key` exists already. */
  upsert(
    table: string,
    columns: readonly string[],
    key: readonly string[],
    update: readonly string[],
  ): string;
  /**
   * Appended to a SELECT that claims rows for work inside a transaction (a queue): other
   * workers skip them. SQLite has one writer: its transactions start with `BEGIN IMMEDIATE`,
   * so nothing needs appending.
   */
  readonly claimRows: string;
  /** INSERT ... RETURNING: SQLite has it; MariaDB's (10.5+) is not relied on. */
  readonly insertReturning: boolean;
  /** Column type and constraints of an auto-increment integer primary key (the tables services keep). */
  readonly autoIncrementKey: string;
  /** A text column without a practical length limit (a JSON document, a message body). */
  readonly longText: string;
  /** Appended to CREATE TABLE: the storage engine and character set where the engine has them. */
  readonly tableOptions: string;
  /**
   * The database's clock as epoch milliseconds (an integer): leases compare against it, so
   * processes on machines whose clocks disagree still agree on when a lease ran out.
   */
  readonly epochMsNow: string;
  /** `INSERT ...` of the rows a SELECT produces, skipping those whose unique key exists already. */
  insertIfAbsentSelect(table: string, columns: readonly string[], select: string): string;
}

/** A column default as schema.yaml states it (absent: `undefined`). */
export type DefaultValue = string | number | boolean | null | { sql: string } | undefined;
export type SqlDefaultParam = string | number | null;

const placeholders = (columns: readonly string[]): string => columns.map(() => '?').join(', ');

export const MARIADB_DIALECT: SqlDialect = {
  engine: 'mariadb',
  lastInsertId: 'LAST_INSERT_ID()',
  geometryAsText: (expression) => `ST_AsText(${expression})`,
  geometryFromText: (placeholder) => `ST_GeomFromText(${placeholder})`,
  updateToDefault: () => ({ sql: 'DEFAULT', params: [] }),
  // Only the clock may stand bare after DEFAULT; any other expression needs parentheses.
  defaultExpression: (sql) => (/^current_timestamp\(\d*\)$/i.test(sql.trim()) ? sql : `(${sql})`),
  insertIfAbsent: (table, columns) =>
    `INSERT IGNORE INTO ${table} (${columns.join(', ')}) VALUES (${placeholders(columns)})`,
  upsert: (table, columns, _key, update) =>
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders(columns)})` +
    ` ON DUPLICATE KEY UPDATE ${update.map((c) => `${c} = VALUES(${c})`).join(', ')}`,
  claimRows: ' FOR UPDATE SKIP LOCKED',
  insertReturning: false,
  autoIncrementKey: 'BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY',
  longText: 'LONGTEXT',
  tableOptions: ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
  epochMsNow: 'CAST(UNIX_TIMESTAMP(CURRENT_TIMESTAMP(3)) * 1000 AS SIGNED)',
  insertIfAbsentSelect: (table, columns, select) =>
    `INSERT IGNORE INTO ${table} (${columns.join(', ')}) ${select}`,
};

/** MariaDB's spellings of the clock functions (a scan writes them so) in SQLite's words. */
const SQLITE_CLOCK: readonly [RegExp, string][] = [
  [/^(?:current_timestamp|now|localtimestamp|localtime)\s*(?:\(\s*\d*\s*\))?$/i, 'CURRENT_TIMESTAMP'],
  [/^(?:current_date|curdate)\s*(?:\(\s*\))?$/i, 'CURRENT_DATE'],
  [/^(?:current_time|curtime)\s*(?:\(\s*\d*\s*\))?$/i, 'CURRENT_TIME'],
];

/** A default expression from schema.yaml as SQLite can run it; other SQL stays as written. */
const sqliteExpression = (sql: string): string =>
  SQLITE_CLOCK.find(([pattern]) => pattern.test(sql.trim()))?.[1] ?? sql;

export const SQLITE_DIALECT: SqlDialect = {
  engine: 'sqlite',
  lastInsertId: 'last_insert_rowid()',
  // SQLite has no geometry type: the column holds the WKT text itself.
  geometryAsText: (expression) => expression,
  geometryFromText: (placeholder) => placeholder,
  updateToDefault: (schemaDefault) => {
    if (schemaDefault === undefined || schemaDefault === null) return { sql: 'NULL', params: [] };
    if (typeof schemaDefault === 'object') return { sql: sqliteExpression(schemaDefault.sql), params: [] };
    return { sql: '?', params: [typeof schemaDefault === 'boolean' ? Number(schemaDefault) : schemaDefault] };
  },
  defaultExpression: (sql) => {
    const expression = sqliteExpression(sql);
    return /^CURRENT_(TIMESTAMP|DATE|TIME)$/.test(expression) ? expression : `(${expression})`;
  },
  insertIfAbsent: (table, columns) =>
    `INSERT OR IGNORE INTO ${table} (${columns.join(', ')}) VALUES (${placeholders(columns)})`,
  upsert: (table, columns, key, update) =>
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders(columns)})` +
    ` ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(', ')}`,
  claimRows: '',
  insertReturning: true,
  // AUTOINCREMENT: an id is never reused after a delete (as on MariaDB), so an old id stays unknown.
  autoIncrementKey: 'INTEGER PRIMARY KEY AUTOINCREMENT',
  longText: 'TEXT',
  tableOptions: '',
  // julianday('now') has millisecond resolution; unixepoch('subsec') needs SQLite 3.42.
  epochMsNow: "CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)",
  insertIfAbsentSelect: (table, columns, select) =>
    `INSERT OR IGNORE INTO ${table} (${columns.join(', ')}) ${select}`,
};

export const dialectOf = (engine: 'mariadb' | 'sqlite'): SqlDialect =>
  engine === 'sqlite' ? SQLITE_DIALECT : MARIADB_DIALECT;
