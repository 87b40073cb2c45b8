import { MARIADB_DIALECT, type SqlDialect } from '@sogoms/db/dialect';
import { columnDefaultOf, columnOnUpdate, columnType } from '../diff/column-facts.js';
import type { ForeignKeyShape, IndexShape } from '../diff/schema-change.types.js';
import { quoteIdentifier } from '../quote-identifier.js';
import type { FieldDef, ReferentialAction } from '../schema.types.js';
import { sqlStringLiteral } from './sql-literal.js';

/** `DEFAULT ...` of a column, or undefined; `dialect` writes an expression in its engine's words. */
export const defaultClause = (field: FieldDef, dialect: SqlDialect = MARIADB_DIALECT): string | undefined => {
  const value = columnDefaultOf(field);
  switch (value.kind) {
    case 'none':
      return undefined;
    case 'null':
      return 'DEFAULT NULL';
    case 'number':
      return `DEFAULT ${value.text}`;
    case 'string':
      return `DEFAULT ${sqlStringLiteral(value.text)}`;
    case 'expression':
      return `DEFAULT ${dialect.defaultExpression(value.sql)}`;
  }
};

/**
 * `` `title` varchar(128) NOT NULL DEFAULT 'x' COMMENT 'y' ``: the column as schema.yaml describes
 * it. Keys (primary, unique, indexes, foreign) are separate clauses, never part of the column.
 */
export const columnDefinition = (field: FieldDef): string => {
  const parts = [quoteIdentifier(field.name), columnType(field), field.nullable ? 'NULL' : 'NOT NULL'];
  const fallback = defaultClause(field);
  if (fallback !== undefined) parts.push(fallback);
  const onUpdate = columnOnUpdate(field);
  if (onUpdate !== 'none') parts.push(`ON UPDATE ${onUpdate}`);
  if (field.auto) parts.push('AUTO_INCREMENT');
  if (field.comment !== undefined && field.comment !== '')
    parts.push(`COMMENT ${sqlStringLiteral(field.comment)}`);
  return parts.join(' ');
};

export const columnList = (fields: readonly string[]): string =>
  `(${fields.map(quoteIdentifier).join(', ')})`;

/** `UNIQUE KEY `name` (`a`, `b`)`, `FULLTEXT KEY ...`, `KEY ...`: as in CREATE TABLE and after ADD. */
export const indexClause = (name: string, index: IndexShape): string => {
  const prefix =
    index.kind === 'fulltext'
      ? 'FULLTEXT '
      : index.kind === 'spatial'
        ? 'SPATIAL '
        : index.unique
          ? 'UNIQUE '
          : '';
  return `${prefix}KEY ${quoteIdentifier(name)} ${columnList(index.fields)}`;
};

const ACTION_SQL: Readonly<Record<ReferentialAction, string>> = {
  restrict: 'RESTRICT',
  cascade: 'CASCADE',
  set_null: 'SET NULL',
  no_action: 'NO ACTION',
  set_default: 'SET DEFAULT',
};

/** `CONSTRAINT `fk` FOREIGN KEY (`c`) REFERENCES `t` (`id`) ON DELETE ... ON UPDATE ...`. */
export const foreignKeyClause = (column: string, key: ForeignKeyShape): string =>
  `${key.name === undefined ? '' : `CONSTRAINT ${quoteIdentifier(key.name)} `}FOREIGN KEY ${columnList([column])} ` +
  referencesClause(key);

/** `REFERENCES `t` (`id`) ON DELETE ... ON UPDATE ...`: the target and rules of a foreign key. */
export const referencesClause = (key: ForeignKeyShape): string =>
  `REFERENCES ${quoteIdentifier(key.table)} ${columnList([key.field])} ` +
  `ON DELETE ${ACTION_SQL[key.onDelete]} ON UPDATE ${ACTION_SQL[key.onUpdate]}`;
