import type { SqlDialect } from '@sogoms/db/dialect';
import type { SqlValue } from '@sogoms/ipc';
import type { CompiledField, CompiledRelation, CompiledTable, OwnerLink } from './compiled-table.js';
import type { Condition, ListQuery } from './list-query.types.js';

/**
 * Builds the SQL of the REST runtime. Identifiers come only from the compiled schema (already
 * quoted); every request value is bound with `?`. Nothing of a request ever becomes SQL text.
 */
export interface SqlStatement {
  sql: string;
  params: SqlValue[];
}

/** Column alias of the list total (the count rides on the first statement: one query fewer). */
export const TOTAL_ALIAS = '__sogoms_total';
/** Column alias of the parent value on each related row. */
export const PARENT_ALIAS = '__sogoms_parent';
/** Alias of a field selected only to link relations (not asked for, or not shown). */
export const linkAlias = (field: CompiledField): string => `__sogoms_link_${field.name}`;

/** Rows are limited to those of the token's user: `owner` is the value of the owner field. */
export type OwnerScope = SqlValue | null;

const COMPARE_SQL = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'LIKE' } as const;

const renderCondition = (condition: Condition, params: SqlValue[]): string => {
  switch (condition.kind) {
    case 'compare':
      params.push(condition.value);
      return `${condition.field.qualified} ${COMPARE_SQL[condition.op]} ?`;
    case 'in':
      params.push(condition.values);
      return `${condition.field.qualified} ${condition.negate ? 'NOT IN' : 'IN'} (?)`;
    case 'null':
      return `${condition.field.qualified} ${condition.isNull ? 'IS NULL' : 'IS NOT NULL'}`;
    case 'all':
    case 'any': {
      if (condition.items.length === 0) return condition.kind === 'all' ? '1 = 1' : '1 = 0';
      const parts = condition.items.map((item) => renderCondition(item, params));
      return `(${parts.join(condition.kind === 'all' ? ' AND ' : ' OR ')})`;
    }
    case 'named':
      params.push(...condition.params);
      return `(${condition.filter.sql.sql})`;
  }
};

/** The owner rule of `table` as conditions on its columns at `at` (the quoted table or its alias). */
const ownerParts = (
  table: CompiledTable,
  owner: OwnerScope,
  at: string,
  parts: string[],
  params: SqlValue[],
): void => {
  if (owner === null) return;
  if (table.owner !== null) {
    parts.push(`${at}.${table.owner.column} = ?`);
    params.push(owner);
  }
  for (const link of table.ownerLinks) {
    parts.push(`${at}.${link.field.column} IN (${ownedParentKeys(link)})`);
    params.push(owner);
  }
};

/** ` WHERE ...` (or '') for the conditions, the owner rule and extra fixed parts, with their params. */
const whereClause = (
  table: CompiledTable,
  conditions: readonly Condition[],
  owner: OwnerScope,
  fixed: SqlStatement[] = [],
): SqlStatement => {
  const params: SqlValue[] = [];
  const parts: string[] = [];
  for (const part of fixed) {
    parts.push(part.sql);
    params.push(...part.params);
  }
  for (const condition of conditions) parts.push(renderCondition(condition, params));
  ownerParts(table, owner, table.table, parts, params);
  return { sql: parts.length === 0 ? '' : ` WHERE ${parts.join(' AND ')}`, params };
};

/**
 * To-one relations read in the rows of the statement that includes them (LEFT JOINs), and the
 * columns they add. One statement instead of one per relation: no transaction, one round trip.
 */
export interface JoinClause {
  /** `, <expr> AS <alias>, ...`: appended to the select list. */
  select: string;
  /** ` LEFT JOIN ... ON ...`: appended to the FROM clause. */
  from: string;
  /** The ON conditions' params (owner values): bound after the select list's, before the WHERE's. */
  params: SqlValue[];
}

export const NO_JOINS: JoinClause = { select: '', from: '', params: [] };

/** The alias of the n-th joined table of a statement (also its marker column: see joinMarker). */
export const joinAlias = (n: number): string => `__sogoms_j${n}`;
/** The column alias of the i-th visible field of the n-th joined table. */
export const joinColumn = (n: number, i: number): string => `__sogoms_j${n}_${i}`;

/**
 * The column telling whether the n-th joined table matched (null: no row): its join field, under
 * the field's own alias when shown, else under the table alias.
 */
export const joinMarker = (relation: CompiledRelation, n: number): string => {
  const i = relation.joinOn === null ? -1 : relation.target.visible.indexOf(relation.joinOn);
  return i >= 0 ? joinColumn(n, i) : joinAlias(n);
};

const selectAt = (field: CompiledField, at: string, dialect: SqlDialect): string =>
  field.def.type === 'geometry' ? dialect.geometryAsText(`${at}.${field.column}`) : `${at}.${field.column}`;

/**
 * A to-one relation (`joinOn` set) as the n-th joined table, matched with the parent's field at
 * `parentAt` (the quoted table or alias holding it). The target's owner rule sits in the ON
 * clause: a row the caller may not see joins as no row (null), exactly as a separate query would.
 */
export const joinClause = (
  relation: CompiledRelation,
  n: number,
  parentAt: string,
  owner: OwnerScope,
): JoinClause => {
  const on = relation.joinOn;
  if (on === null) throw new Error(`Relation ${relation.name} cannot be joined`);
  const target = relation.target;
  const alias = joinAlias(n);
  const at = `\`${alias}\``;
  const columns = target.visible.includes(on) ? [] : [`${at}.${on.column} AS ${at}`];
  target.visible.forEach((field, i) =>
    columns.push(`${selectAt(field, at, target.dialect)} AS \`${joinColumn(n, i)}\``),
  );
  const parts = [`${at}.${on.column} = ${parentAt}.${relation.parentField.column}`];
  const params: SqlValue[] = [];
  ownerParts(target, owner, at, parts, params);
  return {
    select: `, ${columns.join(', ')}`,
    from: ` LEFT JOIN ${target.table} AS ${at} ON ${parts.join(' AND ')}`,
    params,
  };
};

/** The keys of the parent rows the caller owns (one `?`: the owner value). */
const ownedParentKeys = (link: OwnerLink): string =>
  `SELECT ${link.parentKey.qualified} FROM ${link.parent.table} WHERE ${link.parent.owner!.qualified} = ?`;

/** The distinct values a write gives for one owner reference, and the caller's owner value of its parent. */
export interface ParentCheck {
  reference: OwnerLink;
  values: readonly SqlValue[];
  owner: SqlValue;
}

/**
 * Which of each check's values name a parent row the caller could read (the parent's owner
 * rule, as on a read): one statement for every key of a write, rows `(k, v)` answering check
 * `k`. A write is refused unless every value comes back.
 */
export const readableParents = (checks: readonly ParentCheck[]): SqlStatement => {
  const params: SqlValue[] = [];
  const parts = checks.map(({ reference, values, owner }, k) => {
    const { parent, parentKey } = reference;
    const where = [`${parentKey.qualified} IN (?)`];
    params.push([...values]);
    ownerParts(parent, owner, parent.table, where, params);
    return `SELECT DISTINCT ${k} AS \`k\`, ${parentKey.qualified} AS \`v\` FROM ${parent.table} WHERE ${where.join(' AND ')}`;
  });
  return { sql: parts.join(' UNION ALL '), params };
};

/** The select list: the projection, then the link fields it lacks under their own aliases. */
const selectList = (
  fields: readonly CompiledField[],
  links: readonly CompiledField[],
  table?: CompiledTable,
): string => {
  if (table !== undefined && fields === table.visible && links.every((l) => fields.includes(l)))
    return table.selectVisible;
  const columns = fields.map((f) => f.select);
  for (const link of links)
    if (!fields.includes(link)) columns.push(`${link.qualified} AS \`${linkAlias(link)}\``);
  return columns.join(', ');
};

/** WHERE and ORDER BY of one list request, rendered once for its main and relation queries. */
interface PageParts {
  owner: OwnerScope;
  where: SqlStatement;
  order: string;
}
const pageParts = new WeakMap<ListQuery, PageParts>();

const pageOf = (table: CompiledTable, query: ListQuery, owner: OwnerScope): PageParts => {
  const known = pageParts.get(query);
  if (known !== undefined && known.owner === owner) return known;
  const parts = { owner, where: whereClause(table, query.where, owner), order: orderBy(table, query) };
  pageParts.set(query, parts);
  return parts;
};

const orderBy = (table: CompiledTable, query: ListQuery): string => {
  if (query.sort.length === 0) return table.defaultOrder === '' ? '' : ` ORDER BY ${table.defaultOrder}`;
  const parts = query.sort.map((s) => `${s.field.qualified} ${s.desc ? 'DESC' : 'ASC'}`);
  // The key breaks ties, so pages never overlap or skip rows.
  for (const k of table.key) if (!query.sort.some((s) => s.field === k)) parts.push(`${k.qualified} ASC`);
  return ` ORDER BY ${parts.join(', ')}`;
};

/** The page of a list, with the total as an extra column when asked (`count=true`). */
export const listStatement = (
  table: CompiledTable,
  query: ListQuery,
  owner: OwnerScope,
  links: readonly CompiledField[],
  joins: JoinClause = NO_JOINS,
): SqlStatement => {
  const { where, order } = pageOf(table, query, owner);
  const params: SqlValue[] = [];
  let columns = selectList(query.fields, links, table);
  if (query.count) {
    // Uncorrelated: MariaDB runs it once, not per row.
    columns += `, (SELECT COUNT(*) FROM ${table.table}${where.sql}) AS \`${TOTAL_ALIAS}\``;
    params.push(...where.params);
  }
  params.push(...joins.params, ...where.params, query.limit, query.offset);
  return {
    sql: `SELECT ${columns}${joins.select} FROM ${table.table}${joins.from}${where.sql}${order} LIMIT ? OFFSET ?`,
    params,
  };
};

/** The total alone: needed only when a page past the end came back empty. */
export const countStatement = (table: CompiledTable, query: ListQuery, owner: OwnerScope): SqlStatement => {
  const where = whereClause(table, query.where, owner);
  return {
    sql: `SELECT COUNT(*) AS \`${TOTAL_ALIAS}\` FROM ${table.table}${where.sql}`,
    params: where.params,
  };
};

/** The values of `field` over the rows of a list page: the parent set of its relations. */
export const listKeySet = (
  table: CompiledTable,
  query: ListQuery,
  owner: OwnerScope,
  field: CompiledField,
): SqlStatement => {
  const { where, order } = pageOf(table, query, owner);
  // A derived table: MariaDB refuses LIMIT directly inside IN (...).
  return {
    sql:
      `SELECT ${field.column} FROM (SELECT ${field.qualified} FROM ${table.table}${where.sql}` +
      `${order} LIMIT ? OFFSET ?) AS \`__sogoms_page\``,
    params: [...where.params, query.limit, query.offset],
  };
};

const keyCondition = (table: CompiledTable, key: readonly SqlValue[]): SqlStatement => ({
  sql: table.keyWhere,
  params: [...key],
});

/** One row by key, with the owner rule. */
export const readStatement = (
  table: CompiledTable,
  fields: readonly CompiledField[],
  key: readonly SqlValue[],
  owner: OwnerScope,
  links: readonly CompiledField[] = [],
  joins: JoinClause = NO_JOINS,
): SqlStatement => {
  const where = whereClause(table, [], owner, [keyCondition(table, key)]);
  return {
    sql: `SELECT ${selectList(fields, links, table)}${joins.select} FROM ${table.table}${joins.from}${where.sql}`,
    params: [...joins.params, ...where.params],
  };
};

/** The value of `field` on the row of `key`: the parent set of a read's relations. */
export const readKeySet = (
  table: CompiledTable,
  key: readonly SqlValue[],
  owner: OwnerScope,
  field: CompiledField,
): SqlStatement => {
  const where = whereClause(table, [], owner, [keyCondition(table, key)]);
  return { sql: `SELECT ${field.qualified} FROM ${table.table}${where.sql}`, params: where.params };
};

const relationWhere = (
  relation: CompiledRelation,
  parentSet: SqlStatement,
  owner: OwnerScope,
): SqlStatement =>
  whereClause(relation.target, [], owner, [
    { sql: `${relation.match} IN (${parentSet.sql})`, params: parentSet.params },
  ]);

/** The related rows of every parent in `parentSet`, each tagged with its parent value. */
export const relationStatement = (
  relation: CompiledRelation,
  parentSet: SqlStatement,
  owner: OwnerScope,
  links: readonly CompiledField[],
  joins: JoinClause = NO_JOINS,
): SqlStatement => {
  const target = relation.target;
  const where = relationWhere(relation, parentSet, owner);
  const columns = `${selectList(target.visible, links, target)}, ${relation.match} AS \`${PARENT_ALIAS}\``;
  const order = target.defaultOrder === '' ? '' : ` ORDER BY ${target.defaultOrder}`;
  return {
    sql: `SELECT ${columns}${joins.select} FROM ${relation.from}${joins.from}${where.sql}${order}`,
    params: [...joins.params, ...where.params],
  };
};

/** The values of `field` over the related rows: the parent set one level further down. */
export const relationKeySet = (
  relation: CompiledRelation,
  parentSet: SqlStatement,
  owner: OwnerScope,
  field: CompiledField,
): SqlStatement => {
  const where = relationWhere(relation, parentSet, owner);
  return { sql: `SELECT ${field.qualified} FROM ${relation.from}${where.sql}`, params: where.params };
};

/** A value to write: bound, or the column's DEFAULT (a full update of an omitted field). */
export type WriteValue = { value: SqlValue } | 'default';

export const insertStatement = (
  table: CompiledTable,
  values: ReadonlyMap<CompiledField, SqlValue>,
): SqlStatement => {
  const fields = [...values.keys()];
  return {
    sql:
      `INSERT INTO ${table.table} (${fields.map((f) => f.column).join(', ')})` +
      ` VALUES (${fields.map((f) => f.codec.placeholder).join(', ')})`,
    params: [...values.values()],
  };
};

/** Re-reads the row just inserted on the same connection: an auto key not given is the engine's last insert id. */
export const insertedRowStatement = (
  table: CompiledTable,
  values: ReadonlyMap<CompiledField, SqlValue>,
  owner: OwnerScope = null,
): SqlStatement => {
  const params: SqlValue[] = [];
  const parts = table.key.map((k) => {
    if (values.has(k)) {
      params.push(values.get(k)!);
      return `${k.qualified} = ?`;
    }
    return `${k.qualified} = ${table.dialect.lastInsertId}`;
  });
  const where = whereClause(table, [], owner, [{ sql: parts.join(' AND '), params }]);
  return {
    sql: `SELECT ${table.selectVisible} FROM ${table.table}${where.sql}`,
    params: where.params,
  };
};

export const updateStatement = (
  table: CompiledTable,
  values: ReadonlyMap<CompiledField, WriteValue>,
  key: readonly SqlValue[],
  owner: OwnerScope,
): SqlStatement => {
  const params: SqlValue[] = [];
  const sets = [...values].map(([field, write]) => {
    if (write === 'default') {
      const reset = table.dialect.updateToDefault(field.def.default);
      params.push(...reset.params);
      return `${field.column} = ${reset.sql}`;
    }
    params.push(write.value);
    return `${field.column} = ${field.codec.placeholder}`;
  });
  const where = whereClause(table, [], owner, [keyCondition(table, key)]);
  return {
    sql: `UPDATE ${table.table} SET ${sets.join(', ')}${where.sql}`,
    params: [...params, ...where.params],
  };
};

export const deleteStatement = (
  table: CompiledTable,
  key: readonly SqlValue[],
  owner: OwnerScope,
): SqlStatement => {
  const where = whereClause(table, [], owner, [keyCondition(table, key)]);
  return { sql: `DELETE FROM ${table.table}${where.sql}`, params: where.params };
};
