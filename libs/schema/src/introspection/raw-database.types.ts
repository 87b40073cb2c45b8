/**
 * One database as INFORMATION_SCHEMA describes it, before any mapping to the schema model:
 * plain JSON (strings, numbers, booleans, null, arrays), so it crosses IPC unchanged
 * (`db.introspect`). Values are MariaDB's own spellings; everything is sorted (tables, indexes
 * and foreign keys by name in code-point order, columns by position), so the same database
 * always gives the same value.
 */
export interface RawDatabase {
  /** The database (schema) name. */
  database: string;
  /**
   * Absent for MariaDB (whose spellings this shape has). `sqlite`: types are the declared ones
   * (SQLite keeps them as written), `engine` of a table is `rowid` or `without rowid`, and
   * constraint names come from the CREATE TABLE text (see sqlite-pragma.reader.ts).
   */
  engine?: 'sqlite';
  tables: RawTable[];
}

export interface RawTable {
  name: string;
  /** TABLES.TABLE_TYPE: `BASE TABLE`, `VIEW`, `SYSTEM VERSIONED` or `SEQUENCE`. */
  tableType: string;
  /** TABLES.ENGINE; null for a view. */
  engine: string | null;
  /** TABLES.TABLE_COMMENT; '' when none (a view's `VIEW` placeholder is dropped). */
  comment: string;
  /** In ORDINAL_POSITION order. */
  columns: RawColumn[];
  /** Every index including PRIMARY, by name. */
  indexes: RawIndex[];
  /** Foreign keys declared on this table, by constraint name. */
  foreignKeys: RawForeignKey[];
  /** CHECK constraints (MariaDB's `json` alias is one: `json_valid(col)`), by name. */
  checks: RawCheck[];
}

export interface RawColumn {
  name: string;
  /** COLUMNS.ORDINAL_POSITION, from 1. */
  position: number;
  /** COLUMNS.DATA_TYPE, lower case: `int`, `varchar`, `longtext`, `point`. */
  dataType: string;
  /**
   * COLUMNS.COLUMN_TYPE as printed (keywords lower case, enum/set values as declared):
   * `smallint(5) unsigned`, `enum('G','PG')`, `decimal(4,2)`.
   */
  columnType: string;
  nullable: boolean;
  /**
   * COLUMNS.COLUMN_DEFAULT as MariaDB reports it: null = no default; `NULL` = DEFAULT NULL;
   * a quoted literal `'G'`; a number `4.99`; or an expression `current_timestamp()`.
   */
  default: string | null;
  /** COLUMNS.EXTRA, lower case: `auto_increment`, `on update current_timestamp()`, `virtual generated`. */
  extra: string;
  comment: string;
  /** CHARACTER_MAXIMUM_LENGTH (characters or bytes); null for non-string types. */
  maxLength: number | null;
  numericPrecision: number | null;
  numericScale: number | null;
  /** DATETIME_PRECISION: fractional-second digits of datetime/timestamp/time. */
  datetimePrecision: number | null;
  charset: string | null;
  collation: string | null;
  /** GENERATION_EXPRESSION of a generated (virtual/stored) column, else null. */
  generation: string | null;
}

export interface RawIndex {
  /** `PRIMARY` for the primary key. */
  name: string;
  unique: boolean;
  /** STATISTICS.INDEX_TYPE: `BTREE`, `HASH`, `FULLTEXT`, `SPATIAL`. */
  indexType: string;
  /** In SEQ_IN_INDEX order; `subPart` is a prefix length (`KEY (title(10))`), else null. */
  columns: { name: string; subPart: number | null }[];
}

export interface RawForeignKey {
  /** The constraint name. */
  name: string;
  /** Referencing columns, in key order. */
  columns: string[];
  /** The referenced table's database (another database is possible, though rare). */
  referencedDatabase: string;
  referencedTable: string;
  /** In the same order as `columns`. */
  referencedColumns: string[];
  /** REFERENTIAL_CONSTRAINTS rules: `RESTRICT`, `CASCADE`, `SET NULL`, `NO ACTION`, `SET DEFAULT`. */
  onDelete: string;
  onUpdate: string;
}

export interface RawCheck {
  name: string;
  /** CHECK_CLAUSE as MariaDB prints it: json_valid(`doc`). */
  clause: string;
}
