/**
 * The db service's message patterns and payloads. The db service is a plain executor: SQL with
 * `?` placeholders and bound values in, rows or counts out. Errors come back as SogomsError
 * with CONFLICT (duplicate key), CONSTRAINT (foreign key), UNAVAILABLE (server gone),
 * TIMEOUT, NOT_FOUND (unknown app) or BAD_REQUEST; never SQL text or a driver stack.
 */
export const DB_PATTERNS = {
  query: 'db.query',
  queryOne: 'db.query_one',
  insert: 'db.insert',
  update: 'db.update',
  delete: 'db.delete',
  transaction: 'db.transaction',
  ping: 'db.ping',
  stats: 'db.stats',
} as const;

export type SqlValue = string | number | boolean | null | Date | Buffer | SqlValue[];
export type Row = Record<string, unknown>;

export interface Statement {
  sql: string;
  params?: SqlValue[];
}

export interface DbStatementRequest extends Statement {
  app: string;
}

export interface InsertResult {
  insert_id: number;
  affected_rows: number;
}

export interface WriteResult {
  affected_rows: number;
}

export interface TransactionStatement extends Statement {
  /** `rows` (default) returns the rows of a SELECT; `write` returns insert_id/affected_rows. */
  kind?: 'rows' | 'write';
}

export interface DbTransactionRequest {
  app: string;
  statements: TransactionStatement[];
}

/** One result per statement, in order: rows for `rows`, InsertResult for `write`. */
export type TransactionResult = (Row[] | InsertResult)[];

export interface DbPingRequest {
  /** Omit to ask only whether the db service itself answers. */
  app?: string;
}

export interface DbStats {
  queries: number;
  slow_queries: number;
  errors: number;
  apps: string[];
}
