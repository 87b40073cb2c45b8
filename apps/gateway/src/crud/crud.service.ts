import { Injectable } from '@nestjs/common';
import type { TokenClaims } from '@sogoms/auth';
import { isRecord, SogomsError, type ListMeta } from '@sogoms/common';
import type { Row, SqlValue, TransactionStatement } from '@sogoms/ipc';
import type { CompiledSql, CrudOp } from '@sogoms/schema';
import type { CrudHookContext, CrudRow } from '../extensions/crud-hooks.js';
import { HookRunner } from '../extensions/hook-runner.js';
import { DbClient } from '../ipc/db.client.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import type { CompiledField, CompiledTable, OwnerLink, OwnerReference } from './compiled-table.js';
import { authorize, authorizeIncludes, ownerScope, writeOwner } from './crud-access.js';
import { IdempotencyRecords, type EarlierCreate, type KeyClaim } from './idempotency-records.js';
import { idempotentRequest, type IdempotentRequest } from './idempotent-request.js';
import { planIncludes, usesNamedFilter, type IncludePlan } from './include-plan.js';
import {
  parseListQuery,
  parseOverrideListQuery,
  parseOverrideReadQuery,
  parseReadQuery,
} from './list-query.parser.js';
import { bindOverride, overrideQueryNames, pickOverride, serializeOverrideRow } from './query-override.js';
import { parseRecordId } from './record-id.js';
import { serializeRow } from './row-serializer.js';
import {
  TOTAL_ALIAS,
  countStatement,
  deleteStatement,
  insertStatement,
  insertedRowStatement,
  listKeySet,
  listStatement,
  readKeySet,
  readStatement,
  updateStatement,
  readableParents,
  type ParentCheck,
  type SqlStatement,
  type WriteValue,
} from './sql-builder.js';
import { parseCreateBody, parseUpdateBody } from './write-body.parser.js';

/** Largest array body of a bulk create (one transaction). */
export const MAX_BULK_CREATE = 500;

export type Query = Record<string, unknown>;

export interface ListAnswer {
  rows: CrudRow[];
  meta: ListMeta;
}

/** A caller of the CRUD API: the token's claims, or null on a public route without a token. */
export type Caller = TokenClaims | null;

/** A create with an `Idempotency-Key`: its rows, and whether they were made by an earlier request. */
export interface CreateOnceAnswer {
  data: CrudRow | CrudRow[];
  replayed: boolean;
}

const rowsOf = (statement: SqlStatement): TransactionStatement => ({ ...statement, kind: 'rows' });
const writeOf = (statement: SqlStatement): TransactionStatement => ({ ...statement, kind: 'write' });

/**
 * The generated REST API of one table: validates the request against the compiled snapshot,
 * sends its statements in ONE db call (a list or read with its relations, a create with its
 * re-read), shapes the rows. Hooks of the app's modules run around each operation.
 */
@Injectable()
export class CrudService {
  constructor(
    private readonly db: DbClient,
    private readonly idempotency: IdempotencyRecords,
  ) {}

  async list(app: AppRuntime, tableName: string, query: Query, caller: Caller): Promise<ListAnswer> {
    const table = this.table(app, tableName);
    authorize(table, 'list', caller);
    const ctx = this.context(app, table, 'list', caller, { query });
    await this.hooks(app).before(ctx);
    const override = pickOverride(table, 'list', caller);
    if (override !== null) return this.listByOverride(app, table, override, ctx, caller);
    const parsed = parseListQuery(table, ctx.query ?? query);
    authorizeIncludes(parsed.include, caller);
    const owner = ownerScope(table, caller);
    const plan = planIncludes(
      parsed.include,
      (f) => listKeySet(table, parsed, owner, f),
      (t) => ownerScope(t, caller),
      1,
      table.table,
      !usesNamedFilter(parsed.where),
    );
    const main = listStatement(table, parsed, owner, plan.links, plan.joins);
    const results = await this.readBatch(app, main, plan);
    const rows = results[0];
    let total: number | undefined;
    if (parsed.count) {
      if (rows.length > 0) total = Number(rows[0][TOTAL_ALIAS]);
      else if (parsed.offset === 0) total = 0;
      else {
        // A page past the end carries no total column: ask for it alone.
        const counted = await this.db.queryOne(
          app.config.name,
          ...statementArgs(countStatement(table, parsed, owner)),
        );
        total = Number(counted?.[TOTAL_ALIAS] ?? 0);
      }
    }
    const data = plan.shape(rows, parsed.fields, results);
    await this.hooks(app).after(ctx, { rows: data });
    const meta: ListMeta = { limit: parsed.limit, offset: parsed.offset };
    if (total !== undefined) meta.total = total;
    return { rows: data, meta };
  }

  async read(app: AppRuntime, tableName: string, id: string, query: Query, caller: Caller): Promise<CrudRow> {
    const table = this.table(app, tableName);
    authorize(table, 'read', caller);
    const key = parseRecordId(table, id);
    const ctx = this.context(app, table, 'read', caller, { id });
    await this.hooks(app).before(ctx);
    const owner = ownerScope(table, caller);
    const override = pickOverride(table, 'read', caller);
    if (override !== null) {
      parseOverrideReadQuery(query);
      const values = { app: app.config.name, caller, path: { id, key } };
      const found = await this.db.query(
        app.config.name,
        ...statementArgs(bindOverride(table, override, values)),
      );
      if (found.length === 0) throw notFound(table);
      const row = serializeOverrideRow(table, found[0]);
      await this.hooks(app).after(ctx, { row });
      return row;
    }
    const shape = parseReadQuery(table, query);
    authorizeIncludes(shape.include, caller);
    const plan = planIncludes(
      shape.include,
      (f) => readKeySet(table, key, owner, f),
      (t) => ownerScope(t, caller),
      1,
      table.table,
    );
    const main = readStatement(table, shape.fields, key, owner, plan.links, plan.joins);
    const results = await this.readBatch(app, main, plan);
    if (results[0].length === 0) throw notFound(table);
    const row = plan.shape(results[0].slice(0, 1), shape.fields, results)[0];
    await this.hooks(app).after(ctx, { row });
    return row;
  }

  /** One row for an object body, an array of rows for an array body (all in one transaction). */
  async create(
    app: AppRuntime,
    tableName: string,
    body: unknown,
    caller: Caller,
  ): Promise<CrudRow | CrudRow[]> {
    const table = this.table(app, tableName);
    authorize(table, 'create', caller);
    return this.insertRows(app, table, body, caller, null);
  }

  /**
   * A create sent with an `Idempotency-Key` (docs/api.md): the first request with the key creates
   * and records the key in the same transaction; a later one with the same body answers the rows
   * made then (no hooks, nothing written), with another body 422. The lookup first costs one
   * point read; two requests racing past it meet at the record's primary key, and the loser
   * answers the winner's rows.
   */
  async createOnce(
    app: AppRuntime,
    tableName: string,
    body: unknown,
    caller: Caller,
    key: string,
  ): Promise<CreateOnceAnswer> {
    const table = this.table(app, tableName);
    authorize(table, 'create', caller);
    const request = idempotentRequest(app.config.name, table.name, caller, key, body);
    await this.idempotency.ensure(app);
    const now = Date.now();
    const earlier = await this.idempotency.find(app, request, now);
    this.idempotency.purgeNowAndThen(app, now);
    if (earlier !== null && !earlier.expired) return this.replay(app, table, body, caller, request, earlier);
    const claim: KeyClaim = { request, now, replacesExpired: earlier !== null };
    try {
      return { data: await this.insertRows(app, table, body, caller, claim), replayed: false };
    } catch (error) {
      // The key's record (or a unique column of the row) refused it: another request with the
      // key may have committed first. Without a record of it, the refusal stands.
      if (!(error instanceof SogomsError) || error.code !== 'CONFLICT') throw error;
      const winner = await this.idempotency.find(app, request, Date.now());
      if (winner === null || winner.expired) throw error;
      return this.replay(app, table, body, caller, request, winner);
    }
  }

  /** The rows an earlier request with the key made, read again as the create's re-read reads them. */
  private async replay(
    app: AppRuntime,
    table: CompiledTable,
    body: unknown,
    caller: Caller,
    request: IdempotentRequest,
    earlier: EarlierCreate,
  ): Promise<CreateOnceAnswer> {
    if (earlier.hash !== request.hash)
      throw new SogomsError(
        'IDEMPOTENCY_KEY_REUSED',
        `This Idempotency-Key was used for another body on ${table.name}`,
        { table: table.name },
      );
    const scope = ownerScope(table, caller);
    const keys = earlier.rows.map(({ given, auto }) =>
      given.length === table.key.length ? given.map((value) => value ?? auto) : null,
    );
    const gone = (): SogomsError =>
      new SogomsError(
        'IDEMPOTENT_ROW_GONE',
        `The ${table.name} rows this Idempotency-Key created no longer exist`,
        { table: table.name },
      );
    if (keys.some((k) => k === null || k.includes(null))) throw gone();
    const reads = keys.map((k) => readStatement(table, table.visible, k!, scope));
    const found =
      reads.length === 1
        ? [await this.db.query(app.config.name, ...statementArgs(reads[0]))]
        : ((await this.db.transaction(app.config.name, reads.map(rowsOf))) as Row[][]);
    if (found.some((rows) => rows.length === 0)) throw gone();
    const rows = found.map((rows) => serializeRow(table.visible, rows[0]));
    return { data: Array.isArray(body) ? rows : rows[0], replayed: true };
  }

  /**
   * The create itself, in one transaction: per row its INSERT and re-read, and with a key the
   * key's record after them (and first the removal of its expired record).
   */
  private async insertRows(
    app: AppRuntime,
    table: CompiledTable,
    body: unknown,
    caller: Caller,
    claim: KeyClaim | null,
  ): Promise<CrudRow | CrudRow[]> {
    const bulk = Array.isArray(body);
    const items: unknown[] = bulk ? body : [body];
    if (bulk && (items.length === 0 || items.length > MAX_BULK_CREATE))
      throw new SogomsError('VALIDATION_FAILED', `An array body holds 1 to ${MAX_BULK_CREATE} rows`);
    const contexts = items.map((item) =>
      this.context(app, table, 'create', caller, isRecord(item) ? { input: item } : {}),
    );
    for (const ctx of contexts) await this.hooks(app).before(ctx);
    const owner = writeOwner(table, caller);
    const problems: Record<string, string[]> = {};
    const values = items.map((item, i) =>
      parseCreateBody(table, contexts[i].input ?? item, owner, bulk ? `[${i}].` : '', problems),
    );
    if (Object.keys(problems).length > 0)
      throw new SogomsError('VALIDATION_FAILED', 'Invalid request body', problems);
    // Where row i's statements start in the transaction, and how many each row has.
    const first = claim?.replacesExpired === true ? 1 : 0;
    const per = claim === null ? 2 : 3;
    await this.checkReadableParents(app, table, values, caller, 'create', (row) => first + row * per);
    const scope = ownerScope(table, caller);
    const override = pickOverride(table, 'create', caller);
    const insert = (v: Map<CompiledField, SqlValue>): SqlStatement =>
      override === null
        ? insertStatement(table, v)
        : bindOverride(table, override, { app: app.config.name, caller, body: v });
    const statements = values.flatMap((v, i) => {
      const row = [writeOf(insert(v)), rowsOf(insertedRowStatement(table, v, scope))];
      if (claim === null) return row;
      const given = table.key.map((k) => (v.has(k) ? v.get(k)! : null));
      return [...row, this.idempotency.recordStatement(app, claim, i, given, given.includes(null))];
    });
    if (claim?.replacesExpired === true) statements.unshift(this.idempotency.expiredStatement(app, claim));
    const results = await this.db.transaction(app.config.name, statements);
    const rows = values.map((_, i) => {
      const reread = results[first + i * per + 1] as Row[];
      if (reread.length === 0)
        throw new SogomsError('INTERNAL', `Created ${table.name} row could not be read back`);
      return serializeRow(table.visible, reread[0]);
    });
    for (const [i, ctx] of contexts.entries()) {
      ctx.id = recordId(table, rows[i]);
      await this.hooks(app).after(ctx, { row: rows[i] });
    }
    return bulk ? rows : rows[0];
  }

  async update(
    app: AppRuntime,
    tableName: string,
    id: string,
    body: unknown,
    caller: Caller,
    mode: 'patch' | 'replace',
  ): Promise<CrudRow> {
    const table = this.table(app, tableName);
    authorize(table, 'update', caller);
    const key = parseRecordId(table, id);
    const input = isRecord(body) ? body : undefined;
    const ctx = this.context(app, table, 'update', caller, input === undefined ? { id } : { id, input });
    await this.hooks(app).before(ctx);
    const values = parseUpdateBody(table, ctx.input ?? body, key, mode);
    const owner = ownerScope(table, caller);
    await this.checkReadableParents(app, table, [values], caller, 'update');
    const override = pickOverride(table, 'update', caller);
    const update =
      override === null
        ? updateStatement(table, values, key, owner)
        : bindOverride(table, override, { app: app.config.name, caller, path: { id, key }, body: values });
    const results = await this.db.transaction(app.config.name, [
      writeOf(update),
      rowsOf(readStatement(table, table.visible, key, owner)),
    ]);
    const reread = results[1] as Row[];
    // Another user's row reads back empty, exactly like a missing one.
    if (reread.length === 0) throw notFound(table);
    const row = serializeRow(table.visible, reread[0]);
    await this.hooks(app).after(ctx, { row });
    return row;
  }

  /** Deletes one row; answers its key fields. */
  async remove(app: AppRuntime, tableName: string, id: string, caller: Caller): Promise<CrudRow> {
    const table = this.table(app, tableName);
    authorize(table, 'delete', caller);
    const key = parseRecordId(table, id);
    const ctx = this.context(app, table, 'delete', caller, { id });
    await this.hooks(app).before(ctx);
    const owner = ownerScope(table, caller);
    const override = pickOverride(table, 'delete', caller);
    const statement =
      override === null
        ? deleteStatement(table, key, owner)
        : bindOverride(table, override, { app: app.config.name, caller, path: { id, key } });
    const [result] = await this.db.transaction(app.config.name, [writeOf(statement)]);
    if (Array.isArray(result) || result.affected_rows === 0) throw notFound(table);
    const row: CrudRow = {};
    table.key.forEach((field, i) => (row[field.name] = field.codec.toJson(key[i])));
    await this.hooks(app).after(ctx, { row });
    return row;
  }

  /**
   * Every foreign key of the write whose parent rows belong to users must name parent rows the
   * caller could read (docs/schema.md, "Owner rule on references"): all rows and keys in one
   * statement before the write (owner fields never change through the API, so the answer stays
   * true). An unreadable parent answers exactly like a missing one: no existence oracle. Callers
   * whose role bypasses the table's or the parent's owner rule are not checked (as before).
   */
  private async checkReadableParents(
    app: AppRuntime,
    table: CompiledTable,
    rows: WriteRows,
    caller: Caller,
    mode: 'create' | 'update',
    // The index of row i's INSERT in the write's transaction (an update's is 0).
    statementOf: (row: number) => number = () => 0,
  ): Promise<void> {
    if (table.ownerReferences.length === 0) return;
    if (caller !== null && table.ownerBypass.has(caller.role)) return;
    const problems: Record<string, string[]> = {};
    const checks: (ParentCheck & { firstRow: Map<string, number> })[] = [];
    for (const reference of table.ownerReferences) {
      // An anonymous caller reads no owned row: any value it names is refused below.
      const owner = caller === null ? undefined : ownerScope(reference.parent, caller);
      if (owner === null) continue;
      const { values, firstRow } = givenValues(reference, rows, mode, problems);
      if (values.length > 0) checks.push({ reference, values, owner: owner ?? null, firstRow });
    }
    if (Object.keys(problems).length > 0)
      throw new SogomsError('VALIDATION_FAILED', 'Invalid request body', problems);
    if (checks.length === 0) return;
    const readable = checks.map(() => new Set<string>());
    if (caller !== null) {
      const found = await this.db.query(app.config.name, ...statementArgs(readableParents(checks)));
      for (const row of found) readable[Number(row.k)]?.add(valueKey(row.v as SqlValue));
    }
    // Refused at the first row naming a parent it cannot read, as the database would refuse a missing one.
    let refusal: { row: number; reference: OwnerLink } | undefined;
    for (const [k, check] of checks.entries()) {
      if (readable[k].size >= check.values.length) continue;
      const missing = [...check.firstRow].filter(([value]) => !readable[k].has(value)).map(([, row]) => row);
      const row = Math.min(...(missing.length > 0 ? missing : check.firstRow.values()));
      if (refusal === undefined || row < refusal.row) refusal = { row, reference: check.reference };
    }
    if (refusal !== undefined) throw missingParent(table, refusal.reference, statementOf(refusal.row));
  }

  /** A list whose SQL comes from `queries/{table}.yaml`: its rows as they come, paged, no total. */
  private async listByOverride(
    app: AppRuntime,
    table: CompiledTable,
    override: CompiledSql,
    ctx: CrudHookContext,
    caller: Caller,
  ): Promise<ListAnswer> {
    const query = ctx.query ?? {};
    const paging = parseOverrideListQuery(query, overrideQueryNames(override));
    const statement = bindOverride(table, override, { app: app.config.name, caller, paging, query });
    const rows = (await this.db.query(app.config.name, ...statementArgs(statement))).map((r) =>
      serializeOverrideRow(table, r),
    );
    await this.hooks(app).after(ctx, { rows });
    return { rows, meta: paging };
  }

  private table(app: AppRuntime, name: string): CompiledTable {
    const table = app.crud.tables.get(name);
    if (table === undefined) throw new SogomsError('NOT_FOUND', `Unknown table ${name}`);
    return table;
  }

  private hooks(app: AppRuntime): HookRunner {
    return app.hooks ?? HookRunner.NONE;
  }

  private context(
    app: AppRuntime,
    table: CompiledTable,
    op: CrudOp,
    caller: Caller,
    extra: Pick<CrudHookContext, 'id' | 'input' | 'query'>,
  ): CrudHookContext {
    const ctx: CrudHookContext = { app: app.config.name, table: table.name, op, ...extra };
    if (caller !== null) ctx.user = { id: caller.sub, role: caller.role };
    return ctx;
  }

  /**
   * The main query alone (its to-one relations joined in), or with its other relation queries in
   * one transaction call (one consistent snapshot).
   */
  private async readBatch(app: AppRuntime, main: SqlStatement, plan: IncludePlan): Promise<Row[][]> {
    if (plan.statements.length === 0) return [await this.db.query(app.config.name, ...statementArgs(main))];
    const results = await this.db.transaction(app.config.name, [main, ...plan.statements].map(rowsOf));
    return results as Row[][];
  }
}

const statementArgs = (statement: SqlStatement): [string, SqlValue[]] => [statement.sql, statement.params];

/**
 * The refusal of a parent the caller cannot read: the very answer (code, message, details) a
 * missing parent gets from the database (libs/db driver-error.mapper), so the two cannot be told apart.
 */
const missingParent = (table: CompiledTable, reference: OwnerLink, statement: number): SogomsError =>
  new SogomsError(
    'CONSTRAINT',
    `Referenced ${reference.parent.name} does not exist (${table.name}.${reference.field.name})`,
    // `statement`: the failing statement of the write's transaction (a create has two or three per row).
    { table: table.name, field: reference.field.name, references: reference.parent.name, statement },
  );

type WriteRows = readonly (ReadonlyMap<CompiledField, SqlValue> | ReadonlyMap<CompiledField, WriteValue>)[];

/**
 * The distinct values the rows give for one reference, each with the first row giving it. An
 * owner link must be given on create and never be NULL (else a problem is recorded).
 */
const givenValues = (
  { field, parent, link }: OwnerReference,
  rows: WriteRows,
  mode: 'create' | 'update',
  problems: Record<string, string[]>,
): { values: SqlValue[]; firstRow: Map<string, number> } => {
  const firstRow = new Map<string, number>();
  const values: SqlValue[] = [];
  rows.forEach((given, i) => {
    const at = rows.length > 1 ? `[${i}].${field.name}` : field.name;
    if (!given.has(field)) {
      if (link && mode === 'create') (problems[at] ??= []).push(`${field.name} is required`);
      return;
    }
    const value = writtenValue(given.get(field), mode);
    if (value === null) {
      if (link) (problems[at] ??= []).push(`${field.name} must name a ${parent.name} row`);
      return;
    }
    const seenAs = valueKey(value);
    if (!firstRow.has(seenAs)) {
      firstRow.set(seenAs, i);
      values.push(value);
    }
  });
  return { values, firstRow };
};

/** A value as compared with what the database answers (numbers may come back as strings). */
const valueKey = (value: SqlValue): string =>
  Buffer.isBuffer(value) ? `b:${value.toString('hex')}` : `v:${String(value)}`;

/**
 * The value a write gives: a create's as it is, an update's `{ value }`; null for NULL or an
 * update's DEFAULT (a create's string 'default' is a value like any other).
 */
const writtenValue = (given: unknown, mode: 'create' | 'update'): SqlValue => {
  if (given === undefined) return null;
  if (mode === 'create') return given as SqlValue;
  const write = given as WriteValue;
  return write === 'default' ? null : write.value;
};

const notFound = (table: CompiledTable): SogomsError =>
  new SogomsError('NOT_FOUND', `No ${table.name} with this id`);

/** The id of a row as in a URL: key values in key order joined by commas. */
const recordId = (table: CompiledTable, row: CrudRow): string =>
  table.key.map((field: CompiledField) => String(row[field.name])).join(',');
