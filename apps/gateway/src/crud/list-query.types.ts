import type { SqlValue } from '@sogoms/ipc';
import type { CompiledField, CompiledFilter, CompiledRelation } from './compiled-table.js';

export const FILTER_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'like', 'null'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];
export type CompareOp = Exclude<FilterOp, 'in' | 'nin' | 'null'>;

/** One node of a parsed filter: every field and filter it names comes from the compiled schema. */
export type Condition =
  | { kind: 'compare'; field: CompiledField; op: CompareOp; value: SqlValue }
  | { kind: 'in'; field: CompiledField; negate: boolean; values: SqlValue[] }
  | { kind: 'null'; field: CompiledField; isNull: boolean }
  | { kind: 'all' | 'any'; items: Condition[] }
  | { kind: 'named'; filter: CompiledFilter; params: SqlValue[] };

export interface SortKey {
  field: CompiledField;
  desc: boolean;
}

/** `include=a,a.b`: a tree of relations, two levels at most. */
export interface IncludeNode {
  relation: CompiledRelation;
  children: IncludeNode[];
}

/** What a row read returns: the fields shown and the relations attached. */
export interface ReadShape {
  /** The projection (`fields=`), or every visible field. */
  fields: readonly CompiledField[];
  include: IncludeNode[];
}

/** A validated list request. */
export interface ListQuery extends ReadShape {
  /** ANDed conditions. */
  where: Condition[];
  /** Empty: the table's default order. */
  sort: SortKey[];
  limit: number;
  offset: number;
  /** Whether to compute `meta.total` (count=false skips it). */
  count: boolean;
}
