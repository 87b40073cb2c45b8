import {
  DB_PATTERNS,
  type IpcClient,
  type InsertResult,
  type Row,
  type SqlValue,
  type TransactionResult,
  type TransactionStatement,
} from '@sogoms/ipc';
import type { RawDatabase } from '@sogoms/schema';

/** Five INFORMATION_SCHEMA reads: slower than a statement on a server with many databases. */
const INTROSPECT_TIMEOUT_MS = 30_000;

/** Typed calls to the db service. Every method is one IPC round trip. */
export class DbClient {
  constructor(private readonly ipc: IpcClient) {}

  query(app: string, sql: string, params: SqlValue[] = []): Promise<Row[]> {
    return this.ipc.call<Row[]>(DB_PATTERNS.query, { app, sql, params });
  }

  queryOne(app: string, sql: string, params: SqlValue[] = []): Promise<Row | null> {
    return this.ipc.call<Row | null>(DB_PATTERNS.queryOne, { app, sql, params });
  }

  insert(app: string, sql: string, params: SqlValue[] = []): Promise<InsertResult> {
    return this.ipc.call<InsertResult>(DB_PATTERNS.insert, { app, sql, params });
  }

  /** Several statements on one connection, all or nothing, in one round trip. */
  transaction(app: string, statements: TransactionStatement[]): Promise<TransactionResult> {
    return this.ipc.call<TransactionResult>(DB_PATTERNS.transaction, { app, statements });
  }

  /** Whether the db service answers (without an app) or an app's database does. */
  async ping(timeoutMs: number, app?: string): Promise<boolean> {
    try {
      await this.ipc.call(DB_PATTERNS.ping, app === undefined ? {} : { app }, { timeoutMs });
      return true;
    } catch {
      return false;
    }
  }

  /** The app database's tables, columns, keys and indexes (INFORMATION_SCHEMA), for the admin schema endpoints. */
  introspect(app: string): Promise<RawDatabase> {
    return this.ipc.call<RawDatabase>(DB_PATTERNS.introspect, { app }, { timeoutMs: INTROSPECT_TIMEOUT_MS });
  }
}
