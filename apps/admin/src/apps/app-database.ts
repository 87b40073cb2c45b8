import { Inject, Injectable } from '@nestjs/common';
import { DB_PATTERNS, IpcClient, ipcClientToken, type Row, type SqlValue } from '@sogoms/ipc';
import type { RawDatabase } from '@sogoms/schema';

/**
 * An app's database as the admin reaches it: always through the db service (db.query,
 * db.introspect, db.probe), never a connection of its own.
 */
@Injectable()
export class AppDatabase {
  constructor(@Inject(ipcClientToken('db')) private readonly db: IpcClient) {}

  query(app: string, sql: string, params: SqlValue[] = []): Promise<Row[]> {
    return this.db.call<Row[]>(DB_PATTERNS.query, { app, sql, params });
  }

  introspect(app: string): Promise<RawDatabase> {
    return this.db.call<RawDatabase>(DB_PATTERNS.introspect, { app });
  }

  /** The IPC call for @sogoms/provisioning's probeDatabase (a database that is no app yet). */
  readonly call = (pattern: string, payload: unknown): Promise<unknown> => this.db.call(pattern, payload);
}
