import { Injectable } from '@nestjs/common';
import { isRecord, SogomsError } from '@sogoms/common';
import { dialectOf } from '@sogoms/db/dialect';
import type { Row, TransactionResult, TransactionStatement } from '@sogoms/ipc';
import { DbClient } from '../ipc/db.client.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { ATTEMPTS } from './account-tables.js';

const T = `\`${ATTEMPTS}\``;
const KEY = '`app` = ? AND `bucket` = ?';
/** A marker no real time takes: "locked by this statement, length to be applied". */
const LOCKING = -1;

/** One counter's limit: `max` hits within `windowMs`; a lockout starts at `lockMs` and doubles up to `lockMaxMs`. */
export interface CounterRule {
  bucket: string;
  max: number;
  windowMs: number;
  lockMs: number;
  lockMaxMs: number;
}

/** A counter's state after an update: hits in the current window, and until when it is locked. */
export interface CounterState {
  bucket: string;
  hits: number;
  windowStart: number;
  lockedUntil: number;
}

const isRetryable = (error: unknown): boolean =>
  error instanceof SogomsError && isRecord(error.details) && error.details.retryable === true;

/**
 * Counters in the app's database (`sogoms_auth_attempts`), so they survive a restart and are
 * shared by every gateway on that database. Each update is one transaction of plain statements
 * (insert if absent, reset an expired window, count, lock), the same SQL on both engines; no
 * statement reads a column another assignment of it writes (MariaDB evaluates SET left to right,
 * SQLite on the old row).
 */
@Injectable()
export class AttemptCounters {
  constructor(private readonly db: DbClient) {}

  /** The statement that reads the locks still running among `buckets` (to join a caller's transaction). */
  locksStatement(app: string, buckets: readonly string[], now: number): TransactionStatement {
    return {
      sql: `SELECT \`bucket\`, \`locked_until\` FROM ${T} WHERE \`app\` = ? AND \`bucket\` IN (?) AND \`locked_until\` > ?`,
      params: [app, [...buckets], now],
      kind: 'rows',
    };
  }

  /** The latest end among the locks `locksStatement` read, or 0 when none runs. */
  static lockedUntil(rows: Row[]): number {
    return rows.reduce((latest, row) => Math.max(latest, Number(row.locked_until)), 0);
  }

  clearStatement(app: string, bucket: string): TransactionStatement {
    return { sql: `DELETE FROM ${T} WHERE ${KEY}`, params: [app, bucket], kind: 'write' };
  }

  /** Counts one failure per rule; a counter reaching its max is locked (hits start again after). */
  async fail(app: AppRuntime, rules: readonly CounterRule[], now: number): Promise<void> {
    await this.run(
      app.config.name,
      rules.flatMap((rule) => [
        ...this.countStatements(app, rule, now),
        {
          sql:
            `UPDATE ${T} SET \`lock_ms\` = CASE WHEN \`lock_ms\` = 0 THEN ? WHEN \`lock_ms\` * 2 > ? THEN ? ELSE \`lock_ms\` * 2 END, ` +
            `\`locked_until\` = ${LOCKING} WHERE ${KEY} AND \`hits\` >= ?`,
          params: [rule.lockMs, rule.lockMaxMs, rule.lockMaxMs, app.config.name, rule.bucket, rule.max],
          kind: 'write' as const,
        },
        {
          sql: `UPDATE ${T} SET \`locked_until\` = ? + \`lock_ms\`, \`hits\` = 0, \`window_start\` = ? WHERE ${KEY} AND \`locked_until\` = ${LOCKING}`,
          params: [now, now, app.config.name, rule.bucket],
          kind: 'write' as const,
        },
      ]),
    );
  }

  /** Counts one hit per rule and answers each counter as it is now (the caller compares with its max). */
  async hit(app: AppRuntime, rules: readonly CounterRule[], now: number): Promise<CounterState[]> {
    const name = app.config.name;
    const result = await this.run(name, [
      ...rules.flatMap((rule) => this.countStatements(app, rule, now)),
      {
        sql: `SELECT \`bucket\`, \`hits\`, \`window_start\`, \`locked_until\` FROM ${T} WHERE \`app\` = ? AND \`bucket\` IN (?)`,
        params: [name, rules.map((r) => r.bucket)],
        kind: 'rows',
      },
    ]);
    return (result[result.length - 1] as Row[]).map((row) => ({
      bucket: String(row.bucket),
      hits: Number(row.hits),
      windowStart: Number(row.window_start),
      lockedUntil: Number(row.locked_until),
    }));
  }

  private countStatements(app: AppRuntime, rule: CounterRule, now: number): TransactionStatement[] {
    const name = app.config.name;
    const expired = now - rule.windowMs;
    return [
      {
        sql: dialectOf(app.config.database.driver).insertIfAbsent(T, [
          '`app`',
          '`bucket`',
          '`hits`',
          '`window_start`',
          '`lock_ms`',
          '`locked_until`',
        ]),
        params: [name, rule.bucket, 0, now, 0, 0],
        kind: 'write',
      },
      {
        // A window that ended starts again; a lock that ended a window ago no longer grows the next.
        sql:
          `UPDATE ${T} SET \`hits\` = 0, \`window_start\` = ?, ` +
          `\`lock_ms\` = CASE WHEN \`locked_until\` <= ? THEN 0 ELSE \`lock_ms\` END WHERE ${KEY} AND \`window_start\` <= ?`,
        params: [now, expired, name, rule.bucket, expired],
        kind: 'write',
      },
      {
        sql: `UPDATE ${T} SET \`hits\` = \`hits\` + 1 WHERE ${KEY}`,
        params: [name, rule.bucket],
        kind: 'write',
      },
    ];
  }

  /** Two gateways counting the same new key may deadlock on MariaDB: the whole transaction is run again. */
  private async run(app: string, statements: TransactionStatement[]): Promise<TransactionResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(app, statements);
      } catch (error) {
        if (attempt >= 3 || !isRetryable(error)) throw error;
      }
    }
  }
}
