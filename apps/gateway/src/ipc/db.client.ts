import type { OnApplicationShutdown } from '@nestjs/common';
import {
  DB_PATTERNS,
  type DbStats,
  type ServiceCaller,
  type Row,
  type SqlValue,
  type TransactionResult,
  type TransactionStatement,
} from '@sogoms/ipc';
import type { RawDatabase } from '@sogoms/schema';

/** Five INFORMATION_SCHEMA reads: slower than a statement on a server with many databases. */
const INTROSPECT_TIMEOUT_MS = 30_000;

/**
 * Typed calls to the db module: over IPC (every method is one round trip), or in this process
 * (`transport.kind: inprocess`), with the same values and errors either way.
 */
export class DbClient implements OnApplicationShutdown {
  constructor(
    private readonly ipc: ServiceCaller,
    /** Closes what the caller holds (the IPC client, or the in-process pools). */
    private readonly closeCaller: () => Promise<void> = () => Promise.resolve(),
  ) {}

  query(app: string, sql: string, params: SqlValue[] = []): Promise<Row[]> {
    return this.ipc.call<Row[]>(DB_PATTERNS.query, { app, sql, params });
  }

  queryOne(app: string, sql: string, params: SqlValue[] = []): Promise<Row | null> {
    return this.ipc.call<Row | null>(DB_PATTERNS.queryOne, { app, sql, params });
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

  /** The db module's counters (statements, slow ones, errors) since it started. */
  stats(): Promise<DbStats> {
    return this.ipc.call<DbStats>(DB_PATTERNS.stats, {});
  }

  async onApplicationShutdown(): Promise<void> {
    await this.closeCaller();
  }

  /** The app database's tables, columns, keys and indexes (INFORMATION_SCHEMA), for the admin schema endpoints. */
  introspect(app: string): Promise<RawDatabase> {
    return this.ipc.call<RawDatabase>(DB_PATTERNS.introspect, { app }, { timeoutMs: INTROSPECT_TIMEOUT_MS });
  }
}
