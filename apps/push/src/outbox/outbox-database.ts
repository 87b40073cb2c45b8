import { Inject, Injectable } from '@nestjs/common';
import {
  DB_PATTERNS,
  IpcClient,
  ipcClientToken,
  type Row,
  type SqlValue,
  type TransactionResult,
  type TransactionStatement,
} from '@sogoms/ipc';

/** The app databases, through the db service over IPC (the push service keeps no pool of its own). */
@Injectable()
export class OutboxDatabase {
  constructor(@Inject(ipcClientToken('db')) private readonly db: IpcClient) {}

  query(app: string, sql: string, params: SqlValue[] = []): Promise<Row[]> {
    return this.db.call<Row[]>(DB_PATTERNS.query, { app, sql, params });
  }

  /** All or nothing, in one round trip. */
  transaction(app: string, statements: TransactionStatement[]): Promise<TransactionResult> {
    return this.db.call<TransactionResult>(DB_PATTERNS.transaction, { app, statements });
  }
}
