import type { ReferentialAction } from '../schema.types.js';
import type { ColumnAspect } from './column-facts.js';

/** An index as the database holds it (the primary key is not an index here). */
export interface IndexShape {
  fields: string[];
  unique: boolean;
  kind?: 'fulltext' | 'spatial';
}

/** A foreign key of one column as the database holds it. */
export interface ForeignKeyShape {
  /** Constraint name; absent when schema.yaml leaves it to the database. */
  name?: string;
  table: string;
  field: string;
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
}

/**
 * One difference between schema.yaml (`desired`) and the live database (`live`). Plain data, so
 * `--json` prints it as is; `describeChange` words it for people; `migrationFor` turns a list of
 * them into DDL. Each change carries what the DDL needs from the live side (e.g. the name of a
 * foreign key to drop), because migrate sees only schema.yaml besides the changes.
 */
export type SchemaChange =
  /** In schema.yaml, not in the database. */
  | { kind: 'table_missing'; table: string; view: boolean }
  /** In the database, not in schema.yaml. */
  | { kind: 'table_extra'; table: string; view: boolean }
  /** A table on one side, a view on the other. */
  | { kind: 'table_kind'; table: string; desired: 'table' | 'view'; live: 'table' | 'view' }
  | { kind: 'table_comment'; table: string; desired: string; live: string }
  | { kind: 'column_missing'; table: string; column: string; note?: string }
  | { kind: 'column_extra'; table: string; column: string }
  /** `desired` and `live` are printable spellings (`varchar(128)`, `NOT NULL`, `'G'`, `none`). */
  | {
      kind: 'column_changed';
      table: string;
      column: string;
      aspect: ColumnAspect;
      desired: string;
      live: string;
      /** Why the column is what it is, when schema.yaml does not say it in so many words (encryption). */
      note?: string;
    }
  /** Key columns in key order; empty = no primary key. */
  | { kind: 'primary_key_changed'; table: string; desired: string[]; live: string[] }
  | { kind: 'index_missing'; table: string; index: string; desired: IndexShape; note?: string }
  | { kind: 'index_extra'; table: string; index: string; live: IndexShape }
  | {
      kind: 'index_changed';
      table: string;
      index: string;
      desired: IndexShape;
      live: IndexShape;
      note?: string;
    }
  | { kind: 'foreign_key_missing'; table: string; column: string; desired: ForeignKeyShape }
  | { kind: 'foreign_key_extra'; table: string; column: string; live: ForeignKeyShape }
  | {
      kind: 'foreign_key_changed';
      table: string;
      column: string;
      desired: ForeignKeyShape;
      live: ForeignKeyShape;
    };

export type SchemaChangeKind = SchemaChange['kind'];
