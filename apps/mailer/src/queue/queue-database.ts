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

/** Attempts of a transaction the database rolled back for a deadlock (a claim meeting an insert). */
const DEADLOCK_ATTEMPTS = 3;

const isRetryable = (error: unknown): boolean =>
  error instanceof SogomsError && isRecord(error.details) && error.details.retryable === true;

/** The app databases, through the db service over IPC (the mailer keeps no pool of its own). */
@Injectable()
export class QueueDatabase {
  constructor(@Inject(ipcClientToken('db')) private readonly db: IpcClient) {}

  query(app: string, sql: string, params: SqlValue[] = []): Promise<Row[]> {
    return this.db.call<Row[]>(DB_PATTERNS.query, { app, sql, params });
  }

  /**
   * All or nothing, in one round trip. A deadlock rolled the whole transaction back, so it is
   * run again (every queue transaction may be: none depends on an earlier partial run).
   */
  async transaction(app: string, statements: TransactionStatement[]): Promise<TransactionResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.call<TransactionResult>(DB_PATTERNS.transaction, { app, statements });
      } catch (error) {
        if (attempt >= DEADLOCK_ATTEMPTS || !isRetryable(error)) throw error;
      }
    }
  }

  /** Whether the db service answers at all. */
  async reachable(timeoutMs: number): Promise<boolean> {
    try {
      await this.db.call(DB_PATTERNS.ping, {}, { timeoutMs });
      return true;
    } catch {
      return false;
    }
  }
}
