import type { Row, SqlValue } from '@sogoms/ipc';
import type { CompiledField, CompiledTable } from './compiled-table.js';
import type { Condition, IncludeNode } from './list-query.types.js';
import { serializeRow } from './row-serializer.js';
import {
  NO_JOINS,
  PARENT_ALIAS,
  joinAlias,
  joinClause,
  joinColumn,
  joinMarker,
  linkAlias,
  relationKeySet,
  relationStatement,
  type JoinClause,
  type OwnerScope,
  type SqlStatement,
} from './sql-builder.js';

/** Which owner value limits a table's rows for this caller (null: no limit). */
export type OwnerScopeOf = (table: CompiledTable) => OwnerScope;

/** A relation read by a statement of its own: its index in the batch. */
interface BatchedStep {
  kind: 'batched';
  node: IncludeNode;
  index: number;
  children: IncludeStep[];
}

/** A relation LEFT JOINed into its parent's statement (and so is everything below it). */
interface JoinedStep {
  kind: 'joined';
  node: IncludeNode;
  /** Its column aliases, in the order of its target's visible fields. */
  columns: string[];
  /** Its column that is null when no row matched. */
  marker: string;
  children: JoinedStep[];
}

type IncludeStep = BatchedStep | JoinedStep;

/**
 * How a read or a list gets its relations. To-one relations (belongs_to a key or unique field,
 * and only to-one below them) are LEFT JOINed into the statement that includes them: `joins`
 * for the main statement. Every other relation is one more statement (never one per row), each
 * selecting its rows with `IN (<the parent rows' values as a subquery>)`, so the whole tree goes
 * in the same db transaction call as the main query; with joins only, the main query is all.
 */
export interface IncludePlan {
  /** The LEFT JOINs of the main statement. */
  joins: JoinClause;
  /** The fields of the main table whose values the batched relations need (link columns). */
  links: CompiledField[];
  statements: SqlStatement[];
  /** Turns the main rows and the batch's results into the answer's objects. */
  shape(
    rows: readonly Row[],
    fields: readonly CompiledField[],
    results: readonly Row[][],
  ): Record<string, unknown>[];
}

/** A relation read with a LEFT JOIN: to-one on a unique target field, and so is all below it. */
const joinable = (node: IncludeNode): boolean =>
  node.relation.joinOn !== null && node.children.every(joinable);

/**
 * A user-written filter (`filters:` in schema.yaml) names columns unqualified: another table in
 * the FROM clause could make them ambiguous, so a list using one reads its relations apart.
 */
export const usesNamedFilter = (conditions: readonly Condition[]): boolean =>
  conditions.some(
    (c) => c.kind === 'named' || ((c.kind === 'all' || c.kind === 'any') && usesNamedFilter(c.items)),
  );

const linkValue = (row: Row, field: CompiledField): unknown => {
  const alias = linkAlias(field);
  return alias in row ? row[alias] : row[field.name];
};

/** A grouping key for a column value: numbers, strings and the rare binary key alike. */
const groupKey = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);

/** Accumulates the joins of one statement. */
class JoinList {
  private select = '';
  private from = '';
  private readonly params: SqlValue[] = [];

  add(clause: JoinClause): void {
    this.select += clause.select;
    this.from += clause.from;
    this.params.push(...clause.params);
  }

  clause(): JoinClause {
    return this.from === '' ? NO_JOINS : { select: this.select, from: this.from, params: this.params };
  }
}

/**
 * @param at the quoted name of the main table in the main statement (the parent of the top level)
 * @param allowJoins false: every relation is a statement of its own (see usesNamedFilter)
 */
export const planIncludes = (
  nodes: readonly IncludeNode[],
  parentSetOf: (field: CompiledField) => SqlStatement,
  ownerOf: OwnerScopeOf,
  firstIndex: number,
  at: string,
  allowJoins = true,
): IncludePlan => {
  const statements: SqlStatement[] = [];
  let joined = 0;

  const joinStep = (node: IncludeNode, parentAt: string, joins: JoinList): JoinedStep => {
    const n = ++joined;
    joins.add(joinClause(node.relation, n, parentAt, ownerOf(node.relation.target)));
    const columns = node.relation.target.visible.map((_, i) => joinColumn(n, i));
    const children = node.children.map((child) => joinStep(child, `\`${joinAlias(n)}\``, joins));
    return { kind: 'joined', node, columns, marker: joinMarker(node.relation, n), children };
  };

  /** One level below a statement: joined where possible, else statements of their own. */
  const plan = (
    level: readonly IncludeNode[],
    parentAt: string,
    joins: JoinList,
    setOf: (field: CompiledField) => SqlStatement,
  ): IncludeStep[] =>
    level.map((node) => {
      if (allowJoins && joinable(node)) return joinStep(node, parentAt, joins);
      const { relation } = node;
      const owner = ownerOf(relation.target);
      const parentSet = setOf(relation.parentField);
      const slot = statements.length;
      statements.push(parentSet); // its place, filled below once its own joins are known
      const own = new JoinList();
      const children = plan(node.children, relation.target.table, own, (field) =>
        relationKeySet(relation, parentSet, owner, field),
      );
      statements[slot] = relationStatement(relation, parentSet, owner, batchedLinks(children), own.clause());
      return { kind: 'batched', node, index: firstIndex + slot, children };
    });

  const mainJoins = new JoinList();
  const steps = plan(nodes, at, mainJoins, parentSetOf);

  const joinedObject = (row: Row, step: JoinedStep): Record<string, unknown> | null => {
    const mark = row[step.marker];
    if (mark === null || mark === undefined) return null;
    const out: Record<string, unknown> = {};
    const fields = step.node.relation.target.visible;
    for (let i = 0; i < fields.length; i++)
      out[fields[i].name] = fields[i].codec.toJson(row[step.columns[i]], row);
    for (const child of step.children) out[child.node.relation.name] = joinedObject(row, child);
    return out;
  };

  const attach = (
    rows: readonly Row[],
    out: Record<string, unknown>[],
    level: readonly IncludeStep[],
    results: readonly Row[][],
  ): void => {
    for (const step of level) {
      const { relation } = step.node;
      if (step.kind === 'joined') {
        rows.forEach((row, i) => (out[i][relation.name] = joinedObject(row, step)));
        continue;
      }
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

  return {
    joins: mainJoins.clause(),
    links: batchedLinks(steps),
    statements,
    shape: (rows, fields, results) => shapeRows(rows, fields, steps, results),
  };
};

/** The parent fields whose values the batched relations of a level need (joined ones use ON). */
const batchedLinks = (level: readonly IncludeStep[]): CompiledField[] => [
  ...new Set(level.filter((s) => s.kind === 'batched').map((s) => s.node.relation.parentField)),
];
