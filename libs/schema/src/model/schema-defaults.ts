import { CRUD_OPS, type CrudOp, type FieldType } from '../schema.types.js';

/** The owner column when `owner_field` is not given. */
export const DEFAULT_OWNER_FIELD = 'user_id';

/**
 * The MariaDB type a field of each `type` has when `db_type` is absent (docs/schema.md). A
 * `db_type` equal to this is dropped by the parser, so the model has one form per column.
 */
export const DEFAULT_DB_TYPES: Readonly<Record<FieldType, string>> = {
  int: 'int',
  bigint: 'bigint',
  decimal: 'decimal',
  float: 'float',
  bool: 'tinyint',
  string: 'varchar',
  text: 'text',
  date: 'date',
  datetime: 'datetime',
  time: 'time',
  year: 'year',
  enum: 'enum',
  set: 'set',
  json: 'json',
  binary: 'blob',
  geometry: 'geometry',
};

/**
 * MariaDB types known to belong to each `type`. A `db_type` listed under another type is a
 * mistake (`type: int, db_type: varchar`); a type listed nowhere (uuid, inet6) is accepted.
 */
export const KNOWN_DB_TYPES: Readonly<Record<FieldType, readonly string[]>> = {
  int: ['tinyint', 'smallint', 'mediumint', 'int', 'integer'],
  bigint: ['bigint'],
  decimal: ['decimal', 'numeric'],
  float: ['float', 'double', 'real'],
  bool: ['tinyint', 'bit', 'boolean'],
  // A string may live in a text column (then it needs no length).
  string: ['varchar', 'char', 'tinytext', 'text', 'mediumtext', 'longtext'],
  text: ['tinytext', 'text', 'mediumtext', 'longtext'],
  date: ['date'],
  datetime: ['datetime', 'timestamp'],
  time: ['time'],
  year: ['year'],
  enum: ['enum'],
  set: ['set'],
  json: ['json', 'longtext'],
  binary: ['blob', 'tinyblob', 'mediumblob', 'longblob', 'varbinary', 'binary'],
  geometry: [
    'geometry',
    'point',
    'linestring',
    'polygon',
    'multipoint',
    'multilinestring',
    'multipolygon',
    'geometrycollection',
  ],
};

/** db_types whose column needs a `length` (varchar(n), char(n), varbinary(n), binary(n)). */
export const LENGTH_DB_TYPES: readonly string[] = ['varchar', 'char', 'varbinary', 'binary'];

/** The MariaDB type of a field: its `dbType`, else the default for its `type`. */
export const effectiveDbType = (field: { type: FieldType; dbType?: string }): string =>
  field.dbType ?? DEFAULT_DB_TYPES[field.type];

/**
 * The operations a table serves when `crud` is absent: all five; a view only list and read;
 * without a primary key only list (nothing to address a single row by).
 */
export const defaultCrud = (view: boolean, primary: readonly string[]): CrudOp[] => {
  if (primary.length === 0) return ['list'];
  if (view) return ['list', 'read'];
  return [...CRUD_OPS];
};
