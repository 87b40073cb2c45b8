import { SogomsError } from '@sogoms/common';
import type { Statement } from '@sogoms/ipc';
import { InitScriptError } from '../database-initializer.js';
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
import { SqliteConnection } from './sqlite-connection.js';
import { mapSqliteError } from './sqlite-error.mapper.js';
import { ensureSqliteFile } from './sqlite-initializer.js';
import { WriterLock } from './writer-lock.js';

interface Connections {
  writer: SqliteConnection;
  reader: SqliteConnection;
}

/** Bounds how long close() waits for sessions in flight. */
const CLOSE_GRACE_EXTRA_MS = 1_000;

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
  private failure: InitScriptError | null = null;
  private closed = false;
  private failedAttempts = 0;
  private inFlight = 0;
  private drained: (() => void) | null = null;
  private readonly lock = new WriterLock();
  state: AppDatabaseState = 'closed';

  constructor(
    readonly settings: PoolSettings,
    private readonly onOpenFailure: OpenFailureListener = () => undefined,
  ) {}

  get app(): string {
    return this.settings.app;
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
    this.inFlight++;
    try {
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
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.drained?.();
    }
  }

  mapError(thrown: unknown, context?: DriverErrorContext): MappedDriverError {
    return mapSqliteError(thrown, context);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.settings.statementTimeoutMs + CLOSE_GRACE_EXTRA_MS);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.reset();
    this.state = 'closed';
  }

  private connect(): Connections {
    if (this.connections !== null) return this.connections;
    if (this.closed) throw new SogomsError('UNAVAILABLE', 'Database is unavailable');
    if (this.failure !== null)
      throw new SogomsError('UNAVAILABLE', `Database of app '${this.app}' could not be initialised`);
    this.state = 'opening';
    let writer: SqliteConnection | null = null;
    try {
      ensureSqliteFile(this.settings);
      const busyTimeoutMs = this.settings.statementTimeoutMs;
      writer = new SqliteConnection(this.settings.file!, { readonly: false, busyTimeoutMs });
      const reader = new SqliteConnection(this.settings.file!, { readonly: true, busyTimeoutMs });
      this.connections = { writer, reader };
      this.state = 'open';
      this.failedAttempts = 0;
      return this.connections;
    } catch (error) {
      writer?.close();
      this.failedAttempts++;
      if (error instanceof InitScriptError) {
        this.failure = error;
        this.state = 'failed';
      } else {
        this.state = 'down';
      }
      this.onOpenFailure(this, error, this.failedAttempts === 1);
      throw error instanceof InitScriptError
        ? new SogomsError('UNAVAILABLE', `Database of app '${this.app}' could not be initialised`)
        : error;
    }
  }

  private reset(): void {
    const connections = this.connections;
    this.connections = null;
    connections?.writer.close();
    connections?.reader.close();
    if (!this.closed && this.state === 'open') this.state = 'down';
  }
}
