import type { Row } from '@sogoms/ipc';
import type { CompiledField, CompiledTable } from './compiled-table.js';
import type { IncludeNode } from './list-query.types.js';
import { serializeRow } from './row-serializer.js';
import {
  PARENT_ALIAS,
  linkAlias,
  relationKeySet,
  relationStatement,
  type OwnerScope,
  type SqlStatement,
} from './sql-builder.js';

/** Which owner value limits a table's rows for this caller (null: no limit). */
export type OwnerScopeOf = (table: CompiledTable) => OwnerScope;

interface IncludeStep {
  node: IncludeNode;
  /** Index of its statement in the batch. */
  index: number;
  children: IncludeStep[];
}

/**
 * The relation queries of a read or a list: one statement per relation (never one per row),
 * each selecting its rows with `IN (<the parent rows' values as a subquery>)`, so the whole
 * tree goes in the same db transaction call as the main query.
 */
export interface IncludePlan {
  statements: SqlStatement[];
  /** Turns the main rows and the batch's results into the answer's objects. */
  shape(
    rows: readonly Row[],
    fields: readonly CompiledField[],
    results: readonly Row[][],
  ): Record<string, unknown>[];
}

/** The fields of a table whose values its included relations need. */
export const linkFields = (nodes: readonly IncludeNode[]): CompiledField[] => [
  ...new Set(nodes.map((n) => n.relation.parentField)),
];

const linkValue = (row: Row, field: CompiledField): unknown => {
  const alias = linkAlias(field);
  return alias in row ? row[alias] : row[field.name];
};

/** A grouping key for a column value: numbers, strings and the rare binary key alike. */
const groupKey = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);

export const planIncludes = (
  nodes: readonly IncludeNode[],
  parentSetOf: (field: CompiledField) => SqlStatement,
  ownerOf: OwnerScopeOf,
  firstIndex: number,
): IncludePlan => {
  const statements: SqlStatement[] = [];
  const plan = (
    level: readonly IncludeNode[],
    setOf: (field: CompiledField) => SqlStatement,
  ): IncludeStep[] =>
    level.map((node) => {
      const { relation } = node;
      const owner = ownerOf(relation.target);
      const parentSet = setOf(relation.parentField);
      const index = firstIndex + statements.length;
      statements.push(relationStatement(relation, parentSet, owner, linkFields(node.children)));
      const children = plan(node.children, (field) => relationKeySet(relation, parentSet, owner, field));
      return { node, index, children };
    });
  const steps = plan(nodes, parentSetOf);

  const attach = (
    rows: readonly Row[],
    out: Record<string, unknown>[],
    level: readonly IncludeStep[],
    results: readonly Row[][],
  ): void => {
    for (const step of level) {
      const { relation } = step.node;
      const related = results[step.index] ?? [];
      const shaped = shapeRows(related, relation.target.visible, step.children, results);
      const byParent = new Map<string, Record<string, unknown>[]>();
      related.forEach((row, i) => {
        const key = groupKey(row[PARENT_ALIAS]);
        const list = byParent.get(key);
        if (list === undefined) byParent.set(key, [shaped[i]]);
        else list.push(shaped[i]);
      });
      rows.forEach((row, i) => {
        const value = linkValue(row, relation.parentField);
        const found = value === null || value === undefined ? undefined : byParent.get(groupKey(value));
        out[i][relation.name] = relation.many ? (found ?? []) : (found?.[0] ?? null);
      });
    }
  };

  const shapeRows = (
    rows: readonly Row[],
    fields: readonly CompiledField[],
    level: readonly IncludeStep[],
    results: readonly Row[][],
  ): Record<string, unknown>[] => {
    const out = rows.map((row) => serializeRow(fields, row));
    attach(rows, out, level, results);
    return out;
  };

  return { statements, shape: (rows, fields, results) => shapeRows(rows, fields, steps, results) };
};
