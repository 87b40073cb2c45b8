import { isRecord, SogomsError } from '@sogoms/common';
import type { SqlValue } from '@sogoms/ipc';
import type { CompiledField, CompiledTable } from './compiled-table.js';
import { InvalidValueError } from './field-codec.js';
import {
  FILTER_OPS,
  type CompareOp,
  type Condition,
  type FilterOp,
  type IncludeNode,
  type ListQuery,
  type ReadShape,
  type SortKey,
} from './list-query.types.js';

/** `limit` when none is given, and the largest accepted (one constant for every app, docs/api.md). */
export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 500;
/** Bounds on what one request may ask for, so a query string cannot grow the SQL without limit. */
const MAX_CONDITIONS = 100;
const MAX_IN_VALUES = 1000;
const MAX_GROUP_DEPTH = 4;

const LIST_KEYS = new Set(['filter', 'sort', 'limit', 'offset', 'page', 'fields', 'include', 'count']);
const READ_KEYS = new Set(['fields', 'include']);
const PAGING_KEYS = new Set(['limit', 'offset', 'page']);

type Query = Record<string, unknown>;
type Problems = Record<string, string[]>;

/** Collects every problem of a query string, then throws one VALIDATION_FAILED naming them all. */
class ProblemList {
  readonly problems: Problems = {};

  add(param: string, message: string): void {
    (this.problems[param] ??= []).push(message);
  }

  throwIfAny(): void {
    if (Object.keys(this.problems).length > 0)
      throw new SogomsError('VALIDATION_FAILED', 'Invalid query parameters', this.problems);
  }
}

/** A scalar query value as text (the JSON filter form may carry numbers and booleans). */
const scalarText = (value: unknown): string | null => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
};

/** A visible field by name; hidden fields answer exactly like unknown ones. */
const visibleField = (table: CompiledTable, name: string): CompiledField | undefined => {
  const field = table.fields.get(name);
  return field !== undefined && table.visible.includes(field) ? field : undefined;
};

const commaList = (value: unknown): string[] | null => {
  const text = scalarText(value);
  if (text === null) return null;
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
};

class FilterParser {
  private count = 0;

  constructor(
    private readonly table: CompiledTable,
    private readonly problems: ProblemList,
  ) {}

  /** An object of `field: value | {op: value}` and `or`/`and` groups, ANDed. */
  conditions(input: unknown, path: string, depth: number): Condition[] {
    if (!isRecord(input)) {
      this.problems.add(path, 'must be an object of fields and operators');
      return [];
    }
    const out: Condition[] = [];
    for (const [key, value] of Object.entries(input)) {
      const at = `${path}[${key}]`;
      if (key === 'or' || key === 'and') {
        const group = this.group(key, value, at, depth);
        if (group !== null) out.push(group);
        continue;
      }
      const field = visibleField(this.table, key);
      if (field === undefined) {
        this.problems.add(at, `unknown field ${key}`);
        continue;
      }
      if (isRecord(value)) {
        for (const [op, operand] of Object.entries(value)) {
          const condition = this.condition(field, op, operand, `${at}[${op}]`);
          if (condition !== null) out.push(condition);
        }
      } else {
        const condition = this.condition(field, 'eq', value, at);
        if (condition !== null) out.push(condition);
      }
    }
    return out;
  }

  private group(key: 'or' | 'and', value: unknown, at: string, depth: number): Condition | null {
    if (depth >= MAX_GROUP_DEPTH) {
      this.problems.add(at, `groups nest at most ${MAX_GROUP_DEPTH} levels`);
      return null;
    }
    // qs turns `or[0]` into an array, but `or[101]` (past its array limit) into an object.
    const items = Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : null;
    if (items === null || items.length === 0) {
      this.problems.add(at, 'must be a non-empty list of conditions');
      return null;
    }
    const parsed = items.map((item, index) => {
      const conditions = this.conditions(item, `${at}[${index}]`, depth + 1);
      return conditions.length === 1 ? conditions[0] : ({ kind: 'all', items: conditions } as const);
    });
    return { kind: key === 'or' ? 'any' : 'all', items: parsed };
  }

  private condition(field: CompiledField, op: string, operand: unknown, at: string): Condition | null {
    if (++this.count > MAX_CONDITIONS) {
      if (this.count === MAX_CONDITIONS + 1)
        this.problems.add('filter', `at most ${MAX_CONDITIONS} conditions`);
      return null;
    }
    if (!(FILTER_OPS as readonly string[]).includes(op)) {
      this.problems.add(at, `unknown operator ${op}; use one of ${FILTER_OPS.join(' ')}`);
      return null;
    }
    const filterOp = op as FilterOp;
    try {
      return this.build(field, filterOp, operand, at);
    } catch (error) {
      if (!(error instanceof InvalidValueError)) throw error;
      this.problems.add(at, `${field.name} ${error.message}`);
      return null;
    }
  }

  private build(field: CompiledField, op: FilterOp, operand: unknown, at: string): Condition | null {
    if (field.encryption !== null && op !== 'null') return this.encrypted(field, op, operand, at);
    if (op === 'null') {
      const text = scalarText(operand);
      if (text !== 'true' && text !== 'false') {
        this.problems.add(at, 'null takes true or false');
        return null;
      }
      return { kind: 'null', field, isNull: text === 'true' };
    }
    if (!field.codec.comparable) {
      this.problems.add(at, `${field.name} can only be filtered with null`);
      return null;
    }
    if (op === 'in' || op === 'nin') {
      const parts = Array.isArray(operand)
        ? operand.map(scalarText)
        : (scalarText(operand)?.split(',') ?? [null]);
      if (parts.length === 0 || parts.length > MAX_IN_VALUES || parts.some((p) => p === null)) {
        this.problems.add(at, `${op} takes a comma list of 1 to ${MAX_IN_VALUES} values`);
        return null;
      }
      const values: SqlValue[] = (parts as string[]).map((p) => field.codec.fromText(p));
      return { kind: 'in', field, negate: op === 'nin', values };
    }
    const text = scalarText(operand);
    if (text === null) {
      this.problems.add(at, `${op} takes one value`);
      return null;
    }
    if (op === 'like') {
      if (!field.codec.likeable) {
        this.problems.add(at, `like applies to text fields, not ${field.name}`);
        return null;
      }
      return { kind: 'compare', field, op, value: text };
    }
    return { kind: 'compare', field, op: op as CompareOp, value: field.codec.fromText(text) };
  }

  /**
   * An encrypted field compares only for equality, through its blind index (`searchable: true`):
   * `eq` and `in` become the same on `{field}_bidx`; anything else cannot work on ciphertext.
   */
  private encrypted(field: CompiledField, op: FilterOp, operand: unknown, at: string): Condition | null {
    const index = field.blindIndex;
    const indexOf = field.encryption?.indexOf ?? null;
    if (index === null || indexOf === null || (op !== 'eq' && op !== 'in')) {
      this.problems.add(
        at,
        index === null
          ? `${field.name} is encrypted and not searchable: it filters only with null`
          : `${field.name} is encrypted: it filters only with eq, in and null (through its blind index), not ${op}`,
      );
      return null;
    }
    const plain = (text: string): string => indexOf(String(field.codec.fromText(text)));
    if (op === 'in') {
      const parts = Array.isArray(operand)
        ? operand.map(scalarText)
        : (scalarText(operand)?.split(',') ?? [null]);
      if (parts.length === 0 || parts.length > MAX_IN_VALUES || parts.some((p) => p === null)) {
        this.problems.add(at, `in takes a comma list of 1 to ${MAX_IN_VALUES} values`);
        return null;
      }
      return { kind: 'in', field: index, negate: false, values: (parts as string[]).map(plain) };
    }
    const text = scalarText(operand);
    if (text === null) {
      this.problems.add(at, 'eq takes one value');
      return null;
    }
    return { kind: 'compare', field: index, op: 'eq', value: plain(text) };
  }
}

/** `filter=name` with its params taken from the query string. */
const namedFilter = (
  table: CompiledTable,
  name: string,
  query: Query,
  problems: ProblemList,
): Condition | null => {
  const filter = table.filters.get(name);
  if (filter === undefined) {
    problems.add('filter', `unknown filter ${name}`);
    return null;
  }
  const params: SqlValue[] = [];
  for (const param of filter.sql.params) {
    const value = scalarText(query[param]);
    if (value === null || Array.isArray(query[param])) problems.add(param, `filter ${name} needs ${param}`);
    else params.push(value);
  }
  return { kind: 'named', filter, params };
};

const parseFilter = (table: CompiledTable, query: Query, problems: ProblemList): Condition[] => {
  const raw = query.filter;
  if (raw === undefined) return [];
  const parser = new FilterParser(table, problems);
  if (typeof raw === 'string') {
    const text = raw.trim();
    if (text.startsWith('{')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        problems.add('filter', 'is not valid JSON');
        return [];
      }
      return parser.conditions(parsed, 'filter', 0);
    }
    const named = namedFilter(table, text, query, problems);
    return named === null ? [] : [named];
  }
  return parser.conditions(raw, 'filter', 0);
};

const parseSort = (table: CompiledTable, value: unknown, problems: ProblemList): SortKey[] => {
  if (value === undefined) return [];
  const parts = commaList(value);
  if (parts === null) {
    problems.add('sort', 'must be a comma list of fields, - for descending');
    return [];
  }
  const keys: SortKey[] = [];
  for (const part of parts) {
    const desc = part.startsWith('-');
    const name = desc || part.startsWith('+') ? part.slice(1) : part;
    const field = visibleField(table, name);
    if (field === undefined) problems.add('sort', `unknown field ${name}`);
    else if (field.encryption !== null)
      problems.add('sort', `cannot sort by ${name}: it is encrypted (its order is not in the database)`);
    else if (!field.codec.comparable) problems.add('sort', `cannot sort by ${name}`);
    else if (keys.some((k) => k.field === field)) problems.add('sort', `${name} is given twice`);
    else keys.push({ field, desc });
  }
  return keys;
};

const parseFields = (
  table: CompiledTable,
  value: unknown,
  problems: ProblemList,
): readonly CompiledField[] => {
  if (value === undefined) return table.visible;
  const names = commaList(value);
  if (names === null || names.length === 0) {
    problems.add('fields', 'must be a comma list of fields');
    return table.visible;
  }
  const wanted = new Set<CompiledField>();
  for (const name of names) {
    const field = visibleField(table, name);
    if (field === undefined) problems.add('fields', `unknown field ${name}`);
    else wanted.add(field);
  }
  // Column order, whatever order was asked.
  return table.visible.filter((f) => wanted.has(f));
};

const parseInclude = (table: CompiledTable, value: unknown, problems: ProblemList): IncludeNode[] => {
  if (value === undefined) return [];
  const paths = commaList(value);
  if (paths === null || paths.length === 0) {
    problems.add('include', 'must be a comma list of relations (a or a.b)');
    return [];
  }
  const roots: IncludeNode[] = [];
  for (const path of paths) {
    const names = path.split('.');
    if (names.length > 2) {
      problems.add('include', `${path}: at most two levels (a.b)`);
      continue;
    }
    let level = roots;
    let owner = table;
    for (const name of names) {
      const relation = owner.relations.get(name);
      if (relation === undefined) {
        problems.add('include', `unknown relation ${name} of ${owner.name}`);
        break;
      }
      let node = level.find((n) => n.relation === relation);
      if (node === undefined) {
        node = { relation, children: [] };
        level.push(node);
      }
      level = node.children;
      owner = relation.target;
    }
  }
  return roots;
};

const parseCount = (value: unknown, problems: ProblemList): boolean => {
  if (value === undefined || value === 'true') return true;
  if (value === 'false') return false;
  problems.add('count', 'must be true or false');
  return true;
};

const parseNatural = (
  name: string,
  value: unknown,
  min: number,
  max: number,
  problems: ProblemList,
): number | null => {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) {
    problems.add(name, `must be an integer from ${min} to ${max}`);
    return null;
  }
  return Number(value);
};

const checkKeys = (
  query: Query,
  allowed: Set<string>,
  extra: readonly string[],
  problems: ProblemList,
): void => {
  for (const key of Object.keys(query)) {
    if (!allowed.has(key) && !extra.includes(key)) problems.add(key, 'unknown query parameter');
  }
};

const parsePaging = (query: Query, problems: ProblemList): { limit: number; offset: number } => {
  const limit = parseNatural('limit', query.limit, 1, MAX_LIST_LIMIT, problems) ?? DEFAULT_LIST_LIMIT;
  const offset = parseNatural('offset', query.offset, 0, Number.MAX_SAFE_INTEGER, problems);
  const page = parseNatural('page', query.page, 1, 1_000_000_000, problems);
  if (offset !== null && page !== null) problems.add('page', 'give offset or page, not both');
  return { limit, offset: page !== null ? (page - 1) * limit : (offset ?? 0) };
};

/** Parses the qs-parsed query of `GET /{table}` against the compiled table; every problem → one 400. */
export const parseListQuery = (table: CompiledTable, query: Query): ListQuery => {
  const problems = new ProblemList();
  const where = parseFilter(table, query, problems);
  const named = where.find((c) => c.kind === 'named');
  checkKeys(query, LIST_KEYS, named?.kind === 'named' ? named.filter.sql.params : [], problems);
  const sort = parseSort(table, query.sort, problems);
  const { limit, offset } = parsePaging(query, problems);
  const fields = parseFields(table, query.fields, problems);
  const include = parseInclude(table, query.include, problems);
  const count = parseCount(query.count, problems);
  problems.throwIfAny();
  return {
    where,
    sort,
    limit,
    offset,
    fields,
    include,
    count,
  };
};

/** Parses the query of `GET /{table}/{id}` (and the shape of write answers): fields and include. */
export const parseReadQuery = (table: CompiledTable, query: Query): ReadShape => {
  const problems = new ProblemList();
  checkKeys(query, READ_KEYS, [], problems);
  const fields = parseFields(table, query.fields, problems);
  const include = parseInclude(table, query.include, problems);
  problems.throwIfAny();
  return { fields, include };
};

/**
 * The query of a list whose SQL comes from `queries/{table}.yaml`: paging, and the `:query.x`
 * names its SQL binds; filters, sort, fields and include belong to the generated SQL only.
 */
export const parseOverrideListQuery = (
  query: Query,
  names: readonly string[],
): { limit: number; offset: number } => {
  const problems = new ProblemList();
  checkKeys(query, PAGING_KEYS, names, problems);
  for (const name of names)
    if (query[name] !== undefined && typeof query[name] !== 'string') problems.add(name, 'must be one value');
  const paging = parsePaging(query, problems);
  problems.throwIfAny();
  return paging;
};

/** A read whose SQL comes from `queries/{table}.yaml` takes no query parameters. */
export const parseOverrideReadQuery = (query: Query): void => {
  const problems = new ProblemList();
  checkKeys(query, new Set(), [], problems);
  problems.throwIfAny();
};
