import { Inject, Injectable } from '@nestjs/common';
import { isRecord, SogomsError } from '@sogoms/common';
import {
  DB_PATTERNS,
  IpcClient,
  ipcClientToken,
  type Row,
  type SqlValue,
  type TransactionResult,
  type TransactionStatement,
} from '@sogoms/ipc';

const DEADLOCK_ATTEMPTS = 3;

const isRetryable = (error: unknown): boolean =>
  error instanceof SogomsError && isRecord(error.details) && error.details.retryable === true;

/** The app databases, through the db service over IPC (cron keeps no pool of its own). */
@Injectable()
export class CronDatabase {
  constructor(@Inject(ipcClientToken('db')) private readonly db: IpcClient) {}

  query(app: string, sql: string, params: SqlValue[] = []): Promise<Row[]> {
    return this.db.call<Row[]>(DB_PATTERNS.query, { app, sql, params });
  }

  /** All or nothing in one round trip; run again after a deadlock (each is safe to repeat). */
  async transaction(app: string, statements: TransactionStatement[]): Promise<TransactionResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.call<TransactionResult>(DB_PATTERNS.transaction, { app, statements });
      } catch (error) {
        if (attempt >= DEADLOCK_ATTEMPTS || !isRetryable(error)) throw error;
      }
    }
  }

  async reachable(timeoutMs: number): Promise<boolean> {
    try {
      await this.db.call(DB_PATTERNS.ping, {}, { timeoutMs });
      return true;
    } catch {
      return false;
    }
  }
}
