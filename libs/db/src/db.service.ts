import { performance } from 'node:perf_hooks';
import { SogomsError } from '@sogoms/common';
import {
  LogReporter,
  type DbPingResult,
  type DbProbeResult,
  type DbStats,
  type InsertResult,
  type Row,
  type SqlValue,
  type Statement,
  type TransactionResult,
  type TransactionStatement,
} from '@sogoms/ipc';
import { readDatabase, readSqliteDatabase, type RawDatabase } from '@sogoms/schema';
import { DbCounters } from './db-counters.js';
import {
  parseIntrospectRequest,
  parsePingRequest,
  parseProbeRequest,
  parseStatementRequest,
  parseTransactionRequest,
} from './db-request.parser.js';
import type { MappedDriverError } from './driver-error.mapper.js';
import {
  isWriteOutcome,
  type AppDatabase,
  type DbSession,
  type StatementOutcome,
  type TransactionStep,
} from './engine/app-database.js';
import { PoolRegistry } from './pool-registry.js';
import { probeDatabase } from './probe/database-probe.js';

/** Logs are internal, but a statement of megabytes is no use in them. */
const LOGGED_SQL_CHARS = 500;

/** A statement failed and was already mapped, counted and reported. */
class StatementFailure extends Error {
  constructor(
    readonly mapped: MappedDriverError,
    readonly error: SogomsError,
    readonly connectionBroken: boolean,
  ) {
    super(error.message);
  }
}

const toRows = (outcome: StatementOutcome): Row[] => (isWriteOutcome(outcome) ? [] : outcome);

const toInsertResult = (outcome: StatementOutcome): InsertResult =>
  isWriteOutcome(outcome)
    ? { insert_id: outcome.insertId, affected_rows: outcome.affectedRows }
    : { insert_id: 0, affected_rows: 0 };

const truncatedSql = (sql: string): string =>
  sql.length > LOGGED_SQL_CHARS ? `${sql.slice(0, LOGGED_SQL_CHARS)}...` : sql;

/**
 * The db service's actions: raw parameterised SQL on the app's pool, results shaped for the
 * wire, driver errors mapped to stable codes. It counts statements, reports slow ones and
 * database errors to the logs service, and never returns SQL or driver text to the caller.
 */
export class DbService {
  constructor(
    private readonly registry: PoolRegistry,
    private readonly counters: DbCounters,
    private readonly logs: LogReporter,
  ) {}

  async query(payload: unknown): Promise<Row[]> {
    return toRows(await this.single(payload));
  }

  async queryOne(payload: unknown): Promise<Row | null> {
    return toRows(await this.single(payload))[0] ?? null;
  }

  /**
   * All statements on one connection between START TRANSACTION and COMMIT; any failure rolls
   * back and rejects with the mapped error, `details.statement` naming the failing index.
   */
  async transaction(payload: unknown): Promise<TransactionResult> {
    const request = parseTransactionRequest(payload);
    const pool = this.registry.get(request.app);
    return this.onSession(pool, async (session) => {
      if (request.statements.length === 1) {
        // One statement is atomic on its own (autocommit): START TRANSACTION and COMMIT would
        // only add two round trips (a DELETE by key: three instead of one).
        const [statement] = request.statements;
        const outcome = await this.run(pool, session, statement, 0);
        return [shapeOf(statement) === 'write' ? toInsertResult(outcome) : toRows(outcome)];
      }
      await this.control(pool, session, 'begin');
      const results: TransactionResult = [];
      try {
        for (const [index, statement] of request.statements.entries()) {
          const outcome = await this.run(pool, session, statement, index);
          results.push(shapeOf(statement) === 'write' ? toInsertResult(outcome) : toRows(outcome));
        }
        await this.control(pool, session, 'commit');
        return results;
      } catch (error) {
        const rolledBack = await session
          .control('rollback')
          .then(() => true)
          .catch(() => false);
        // A connection whose ROLLBACK failed may still hold the transaction: never reuse it.
        if (!rolledBack && error instanceof StatementFailure && !error.connectionBroken) {
          throw new StatementFailure(error.mapped, error.error, true);
        }
        throw error;
      }
    });
  }

  /** Without `app`: the service answers. With `app`: `SELECT 1` on that app's pool. */
  async ping(payload: unknown): Promise<DbPingResult> {
    const request = parsePingRequest(payload);
    if (request.app === undefined) return { ok: true };
    const pool = this.registry.get(request.app);
    await this.onSession(pool, (session) => this.run(pool, session, { sql: 'SELECT 1' }));
    return { ok: true, app: request.app };
  }

  /**
   * The app's own database as INFORMATION_SCHEMA describes it (a handful of statements on one
   * connection, each counted and mapped like any other), for `schema scan` and the admin API.
   */
  async introspect(payload: unknown): Promise<RawDatabase> {
    const request = parseIntrospectRequest(payload);
    const pool = this.registry.get(request.app);
    // The app's engine has its own catalog: INFORMATION_SCHEMA, or SQLite's pragma functions.
    const read = pool.settings.driver === 'sqlite' ? readSqliteDatabase : readDatabase;
    return this.onSession(pool, (session) =>
      read(
        async (sql, params) => toRows(await this.run(pool, session, { sql, params: params as SqlValue[] })),
        pool.settings.database,
      ),
    );
  }

  /**
   * A database that is no app: its own short-lived connection (no pool, no budget), the
   * statements, the catalog when asked. Not counted as the apps' queries: it is no app's load.
   */
  probe(payload: unknown): Promise<DbProbeResult> {
    return probeDatabase(parseProbeRequest(payload));
  }

  stats(): DbStats {
    return {
      queries: this.counters.queries,
      slow_queries: this.counters.slowQueries,
      errors: this.counters.errors,
      apps: this.registry.apps(),
      servers: this.registry.budgets.stats(),
    };
  }

  private async single(payload: unknown): Promise<StatementOutcome> {
    const request = parseStatementRequest(payload);
    const pool = this.registry.get(request.app);
    return this.onSession(pool, (session) => this.run(pool, session, request));
  }

  /**
   * Runs `work` on a session of the app's database. Failures that did not come from a statement
   * (the server cannot be reached, the pool is closed) are mapped, counted and reported here.
   */
  private async onSession<T>(pool: AppDatabase, work: (session: DbSession) => Promise<T>): Promise<T> {
    try {
      return await pool.withSession(
        work,
        (error) => !(error instanceof StatementFailure) || error.connectionBroken,
      );
    } catch (error) {
      if (error instanceof StatementFailure) throw error.error;
      if (error instanceof SogomsError && error.code !== 'UNAVAILABLE') throw error;
      throw this.fail(pool.app, pool.mapError(error), null);
    }
  }

  /** One statement: counted, timed (slow ones reported), errors mapped and reported. */
  private async run(
    pool: AppDatabase,
    session: DbSession,
    statement: Statement,
    index?: number,
  ): Promise<StatementOutcome> {
    this.counters.queries++;
    this.counters.of(pool.app).queries++;
    const started = performance.now();
    try {
      const outcome = await session.query(statement);
      const durationMs = performance.now() - started;
      if (durationMs >= this.registry.settings.slowQueryMs)
        this.reportSlow(pool.app, statement.sql, durationMs);
      return outcome;
    } catch (error) {
      const mapped = pool.mapError(error, { sql: statement.sql });
      const sogoms =
        index === undefined
          ? mapped.error
          : new SogomsError(mapped.error.code, mapped.error.message, {
              ...(typeof mapped.error.details === 'object' ? mapped.error.details : {}),
              statement: index,
            });
      throw new StatementFailure(
        mapped,
        this.fail(pool.app, { ...mapped, error: sogoms }, statement.sql),
        mapped.connectionBroken,
      );
    }
  }

  /** Transaction control statements: not counted as queries, but their failures are errors. */
  private async control(pool: AppDatabase, session: DbSession, step: TransactionStep): Promise<void> {
    try {
      await session.control(step);
    } catch (error) {
      const mapped = pool.mapError(error);
      throw new StatementFailure(mapped, this.fail(pool.app, mapped, step), mapped.connectionBroken);
    }
  }

  /** Counts and reports a mapped database error, and returns what the caller receives. */
  private fail(app: string, mapped: MappedDriverError, sql: string | null): SogomsError {
    this.counters.errors++;
    this.counters.of(app).errors++;
    const data: Record<string, unknown> = {
      code: mapped.error.code,
      driver_code: mapped.driverCode,
    };
    if (mapped.logMessage !== null) data.driver_message = mapped.logMessage;
    if (sql !== null) data.sql = truncatedSql(sql);
    const details = mapped.error.details;
    if (typeof details === 'object' && details !== null && 'ref' in details) data.ref = details.ref;
    this.logs.error(app, 'db_error', mapped.error.message, data);
    return mapped.error;
  }

  private reportSlow(app: string, sql: string, durationMs: number): void {
    this.counters.slowQueries++;
    this.counters.of(app).slowQueries++;
    const duration = Math.round(durationMs);
    this.logs.event(app, 'slow_query', `Statement took ${duration} ms`, {
      duration_ms: duration,
      sql: truncatedSql(sql),
    });
  }
}

const shapeOf = (statement: TransactionStatement): 'rows' | 'write' => statement.kind ?? 'rows';
