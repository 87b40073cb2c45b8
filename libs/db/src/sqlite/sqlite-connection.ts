import Database from 'better-sqlite3';
import type { Statement } from '@sogoms/ipc';
import type { StatementOutcome } from '../engine/app-database.js';
import { diagnoseForeignKey } from './foreign-key-diagnosis.js';
import {
  decodeRows,
  decoderFor,
  expandListParams,
  type ColumnDecoder,
  type SqliteBindable,
} from './sqlite-values.js';

/** Prepared statements kept per connection; the generated API repeats a few hundred forms. */
const STATEMENT_CACHE_SIZE = 500;

interface Prepared {
  statement: Database.Statement<SqliteBindable[]>;
  names: string[];
  decoders: ColumnDecoder[];
}

export interface SqliteConnectionOptions {
  readonly: boolean;
  busyTimeoutMs: number;
}

/**
 * One better-sqlite3 connection with its session set (WAL, foreign keys on, a busy timeout) and
 * a cache of prepared statements. Its calls are synchronous: it runs in the db service's process,
 * never in the gateway's (see docs/db.md).
 */
export class SqliteConnection {
  private readonly db: Database.Database;
  private readonly cache = new Map<string, Prepared>();
  private readonly readOnly = new Map<string, boolean>();

  constructor(file: string, options: SqliteConnectionOptions) {
    this.db = new Database(file, { readonly: options.readonly, fileMustExist: options.readonly });
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs))}`);
    if (!options.readonly) {
      this.db.pragma('journal_mode = WAL');
      // FULL: a commit is on disk before it is acknowledged, even across a power cut.
      this.db.pragma('synchronous = FULL');
    }
    this.db.pragma('foreign_keys = ON');
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  /**
   * Whether the statement only reads (such statements may run on a reader). Asked of the text as
   * sent: expanding a list changes the number of placeholders, not what the statement does.
   */
  isReadOnly(statement: Statement): boolean {
    let known = this.readOnly.get(statement.sql);
    if (known === undefined) {
      known = this.db.prepare(statement.sql).readonly;
      if (this.readOnly.size >= STATEMENT_CACHE_SIZE)
        this.readOnly.delete(this.readOnly.keys().next().value!);
      this.readOnly.set(statement.sql, known);
    }
    return known;
  }

  execute(statement: Statement): StatementOutcome {
    const { sql, values } = expandListParams(statement.sql, statement.params ?? []);
    const prepared = this.prepare(sql);
    try {
      if (prepared.statement.reader) {
        const raw = prepared.statement.all(...values) as unknown[][];
        return decodeRows(raw, prepared.names, prepared.decoders);
      }
      const result = prepared.statement.run(...values);
      return { insertId: Number(result.lastInsertRowid), affectedRows: result.changes };
    } catch (error) {
      throw diagnoseForeignKey(this.db, error, sql, values);
    }
  }

  /** Transaction control and other statements without values. */
  exec(sql: string): void {
    this.db.exec(sql);
  }

  close(): void {
    this.cache.clear();
    this.readOnly.clear();
    if (this.db.open) this.db.close();
  }

  private prepare(sql: string): Prepared {
    const known = this.cache.get(sql);
    if (known !== undefined) return known;
    const statement = this.db.prepare<SqliteBindable[]>(sql);
    let names: string[] = [];
    let decoders: ColumnDecoder[] = [];
    if (statement.reader) {
      statement.raw(true).safeIntegers(true);
      const columns = statement.columns();
      names = columns.map((c) => c.name);
      decoders = columns.map((c) => decoderFor(c.type));
    } else {
      statement.safeIntegers(true);
    }
    const prepared = { statement, names, decoders };
    if (this.cache.size >= STATEMENT_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(sql, prepared);
    return prepared;
  }
}
