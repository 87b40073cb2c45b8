import { Injectable } from '@nestjs/common';
import { dialectOf, type SqlDialect } from '@sogoms/db/dialect';
import { LogReporter, type Row, type SqlValue, type TransactionStatement } from '@sogoms/ipc';
import { DbClient } from '../ipc/db.client.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { OncePerAppDatabase } from '../runtime/once-per-app-database.js';
import { IDEMPOTENCY_TABLE, idempotencyTableDdl } from './idempotency.table.js';
import type { IdempotentRequest } from './idempotent-request.js';

const T = `\`${IDEMPOTENCY_TABLE}\``;
const SCOPE = 'app = ? AND table_name = ? AND caller = ? AND idempotency_key = ?';
/** Expired keys of an app are deleted at most this often (after a create with a key). */
export const IDEMPOTENCY_PURGE_EVERY_MS = 10 * 60_000;

/** One row an earlier request with the key created: its key values (null: the auto id) and that id. */
export interface RecordedRow {
  given: SqlValue[];
  auto: SqlValue;
}

/** What an earlier request with the same key left: its body's hash and its rows, in body order. */
export interface EarlierCreate {
  hash: string;
  rows: RecordedRow[];
  /** Older than the app's retention: counts as absent, and is replaced by the next create. */
  expired: boolean;
}

/** How a create records its key: the request, when, and whether an expired record goes first. */
export interface KeyClaim {
  request: IdempotentRequest;
  now: number;
  replacesExpired: boolean;
}

const scopeParams = (r: IdempotentRequest): SqlValue[] => [r.app, r.table, r.caller, r.key];

/**
 * The only SQL for `sogoms_idempotency`: the lookup before a create with a key, the statements
 * that go into the create's own transaction, and the purge of expired keys. Creates without a
 * key never come here.
 */
@Injectable()
export class IdempotencyRecords {
  private readonly table = new OncePerAppDatabase((app, dialect) => this.createTable(app, dialect));
  private readonly lastPurge = new Map<string, number>();

  constructor(
    private readonly db: DbClient,
    private readonly logs: LogReporter,
  ) {}

  /** Creates the table when missing: once per process and app database, before the first key. */
  ensure(app: AppRuntime): Promise<void> {
    return this.table.run(app);
  }

  /** The earlier create with this key, or null. */
  async find(app: AppRuntime, request: IdempotentRequest, now: number): Promise<EarlierCreate | null> {
    const rows = await this.db.query(
      app.config.name,
      `SELECT request_hash, row_auto, row_key, created_at FROM ${T} WHERE ${SCOPE} ORDER BY item`,
      scopeParams(request),
    );
    if (rows.length === 0) return null;
    const retentionMs = app.config.idempotency.retentionS * 1000;
    return {
      hash: String(rows[0].request_hash),
      rows: rows.map(recordedRow),
      expired: Number(rows[0].created_at) < now - retentionMs,
    };
  }

  /** Goes first in the create's transaction when the key's record expired: the key is free again. */
  expiredStatement(app: AppRuntime, claim: KeyClaim): TransactionStatement {
    return {
      sql: `DELETE FROM ${T} WHERE ${SCOPE} AND created_at < ?`,
      params: [...scopeParams(claim.request), claim.now - app.config.idempotency.retentionS * 1000],
      kind: 'write',
    };
  }

  /**
   * Records row `item` right after its INSERT and re-read, in the same transaction: the key values
   * the body gave, the auto id from the engine's last insert id. A second request with the key
   * fails here on the primary key (CONFLICT) and rolls its row back with it.
   */
  recordStatement(
    app: AppRuntime,
    claim: KeyClaim,
    item: number,
    given: readonly SqlValue[],
    hasAuto: boolean,
  ): TransactionStatement {
    const auto = hasAuto ? dialectOf(app.config.database.driver).lastInsertId : 'NULL';
    return {
      sql:
        `INSERT INTO ${T} (app, table_name, caller, idempotency_key, item, request_hash, row_auto, row_key, created_at)` +
        ` VALUES (?, ?, ?, ?, ?, ?, ${auto}, ?, ?)`,
      params: [...scopeParams(claim.request), item, claim.request.hash, JSON.stringify(given), claim.now],
      kind: 'write',
    };
  }

  /** Deletes the app's expired keys now and then, off the request's way (its answer does not wait). */
  purgeNowAndThen(app: AppRuntime, now: number): void {
    const name = app.config.name;
    if (now - (this.lastPurge.get(name) ?? 0) < IDEMPOTENCY_PURGE_EVERY_MS) return;
    this.lastPurge.set(name, now);
    const before = now - app.config.idempotency.retentionS * 1000;
    this.db
      .query(name, `DELETE FROM ${T} WHERE app = ? AND created_at < ?`, [name, before])
      .catch((error: unknown) =>
        this.logs.error(name, 'idempotency_purge_failed', 'Expired idempotency keys not deleted', {
          error: (error as Error).message,
        }),
      );
  }

  private async createTable(app: string, dialect: SqlDialect): Promise<void> {
    for (const sql of idempotencyTableDdl(dialect)) await this.db.query(app, sql);
  }
}

/** A stored row key: JSON values as written (a Buffer as its JSON form, revived here). */
const recordedRow = (row: Row): RecordedRow => {
  const parsed = JSON.parse(String(row.row_key)) as unknown;
  const given = (Array.isArray(parsed) ? parsed : []).map(reviveValue);
  return { given, auto: (row.row_auto ?? null) as SqlValue };
};

const reviveValue = (value: unknown): SqlValue => {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const json = value as { type?: unknown; data?: unknown };
    if (json.type === 'Buffer' && Array.isArray(json.data)) return Buffer.from(json.data as number[]);
  }
  return value as SqlValue;
};
