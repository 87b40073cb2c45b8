import type { Statement } from '@sogoms/ipc';
import type { PoolSettings } from '../db-settings.js';
import type { DriverErrorContext, MappedDriverError } from '../driver-error.mapper.js';
import type {
  AppDatabase,
  AppDatabaseState,
  DbSession,
  OpenFailureListener,
  StatementOutcome,
  TransactionStep,
} from '../engine/app-database.js';
import { DatabaseLifecycle } from '../engine/database-lifecycle.js';
import { SqliteConnection } from './sqlite-connection.js';
import { mapSqliteError } from './sqlite-error.mapper.js';
import { ensureSqliteFile } from './sqlite-initializer.js';
import { WriterLock } from './writer-lock.js';

interface Connections {
  writer: SqliteConnection;
  reader: SqliteConnection;
}

/**
 * One session on an SQLite file. Outside a transaction a statement that only reads runs at once
 * (on the reader while a transaction holds the writer: WAL lets it see the last commit); one
 * that writes waits for the writer. `begin` takes the writer until `commit` or `rollback`.
 */
class SqliteSession implements DbSession {
  private release: (() => void) | null = null;

  constructor(
    private readonly connections: Connections,
    private readonly lock: WriterLock,
    readonly statementTimeoutMs: number,
  ) {}

  async query(statement: Statement): Promise<StatementOutcome> {
    const { writer, reader } = this.connections;
    if (this.release !== null || writer.isReadOnly(statement)) {
      // Holding the writer, or only reading: nothing to wait for.
      return (this.release === null && this.lock.busy ? reader : writer).execute(statement);
    }
    const release = await this.lock.acquire();
    try {
      return writer.execute(statement);
    } finally {
      release();
    }
  }

  async control(step: TransactionStep): Promise<void> {
    const { writer } = this.connections;
    if (step === 'begin') {
      this.release = await this.lock.acquire();
      // IMMEDIATE: the write lock now, so no statement of this transaction meets SQLITE_BUSY.
      writer.exec('BEGIN IMMEDIATE');
      return;
    }
    try {
      if (step === 'commit') writer.exec('COMMIT');
      else if (writer.inTransaction) writer.exec('ROLLBACK');
    } finally {
      if (step === 'rollback' || !writer.inTransaction) this.end();
    }
  }

  /** Gives the writer back, rolling back what a session left open. */
  end(): void {
    if (this.release === null) return;
    if (this.connections.writer.inTransaction) this.connections.writer.exec('ROLLBACK');
    this.release();
    this.release = null;
  }
}

/**
 * An app's SQLite file (`database.driver: sqlite`): one writer connection and one reader, in the
 * db service's process. better-sqlite3's calls are synchronous, so a second reader would add
 * nothing in one thread (docs/db.md); writes are serialised by `WriterLock`.
 */
export class SqliteDatabase implements AppDatabase {
  private connections: Connections | null = null;
  private readonly lock = new WriterLock();
  private readonly life: DatabaseLifecycle;

  constructor(
    readonly settings: PoolSettings,
    onOpenFailure: OpenFailureListener = () => undefined,
  ) {
    this.life = new DatabaseLifecycle(settings.app, settings.statementTimeoutMs, (error, first) =>
      onOpenFailure(this, error, first),
    );
  }

  get app(): string {
    return this.settings.app;
  }

  get state(): AppDatabaseState {
    return this.life.state;
  }

  open(): Promise<Connections> {
    try {
      return Promise.resolve(this.connect());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  async withSession<T>(
    work: (session: DbSession) => Promise<T>,
    isBroken: (error: unknown) => boolean,
  ): Promise<T> {
    return this.life.track(async () => {
      const connections = await this.open();
      const session = new SqliteSession(connections, this.lock, this.settings.statementTimeoutMs);
      try {
        return await work(session);
      } catch (error) {
        // A file that failed underneath (I/O, removed) is reopened by the next call.
        if (isBroken(error)) this.reset();
        throw error;
      } finally {
        session.end();
      }
    });
  }

  mapError(thrown: unknown, context?: DriverErrorContext): MappedDriverError {
    return mapSqliteError(thrown, context);
  }

  /** One file opened in this process: no pool to report. */
  usage(): null {
    return null;
  }

  async close(): Promise<void> {
    await this.life.closeWhenDrained();
    this.reset();
    this.life.state = 'closed';
  }

  private connect(): Connections {
    if (this.connections !== null) return this.connections;
    const refusal = this.life.refusal();
    if (refusal !== null) throw refusal;
    this.life.state = 'opening';
    let writer: SqliteConnection | null = null;
    try {
      ensureSqliteFile(this.settings);
      const busyTimeoutMs = this.settings.statementTimeoutMs;
      writer = new SqliteConnection(this.settings.file!, { readonly: false, busyTimeoutMs });
      const reader = new SqliteConnection(this.settings.file!, { readonly: true, busyTimeoutMs });
      this.connections = { writer, reader };
      this.life.opened();
      return this.connections;
    } catch (error) {
      writer?.close();
      throw this.life.openFailed(error);
    }
  }

  private reset(): void {
    const connections = this.connections;
    this.connections = null;
    connections?.writer.close();
    connections?.reader.close();
    if (!this.life.isClosed && this.life.state === 'open') this.life.state = 'down';
  }
}
