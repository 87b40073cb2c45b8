import { Injectable } from '@nestjs/common';
import { isRecord, SogomsError } from '@sogoms/common';
import type { InsertResult, Row, SqlValue, TransactionResult, TransactionStatement } from '@sogoms/ipc';
import { DbClient } from '../ipc/db.client.js';
import { REFRESH_TOKENS } from './account-tables.js';

const T = `\`${REFRESH_TOKENS}\``;
const INSERT_COLUMNS = [
  'app',
  'user_id',
  'family',
  'token_hash',
  'password_mark',
  'family_created_at',
  'created_at',
  'expires_at',
  'user_agent',
  'ip',
];
const INSERT = `INSERT INTO ${T} (${INSERT_COLUMNS.map((c) => `\`${c}\``).join(', ')}) VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')})`;
/** The next token of a family, written only if this request is the one that retired `id`. */
const INSERT_SUCCESSOR = `INSERT INTO ${T} (${INSERT_COLUMNS.map((c) => `\`${c}\``).join(', ')}) SELECT ${INSERT_COLUMNS.map(() => '?').join(', ')} FROM ${T} WHERE \`id\` = ? AND \`replaced_by\` = ?`;
const RETIRE = `UPDATE ${T} SET \`replaced_by\` = ?, \`last_used_at\` = ? WHERE \`id\` = ? AND \`replaced_by\` IS NULL AND \`revoked_at\` IS NULL`;
const BY_HASH = `SELECT * FROM ${T} WHERE \`token_hash\` = ? AND \`app\` = ? LIMIT 1`;
const REVOKE_FAMILY = `UPDATE ${T} SET \`revoked_at\` = ? WHERE \`app\` = ? AND \`family\` = ? AND \`revoked_at\` IS NULL`;
const REVOKE_USER_FAMILY = `UPDATE ${T} SET \`revoked_at\` = ? WHERE \`app\` = ? AND \`user_id\` = ? AND \`family\` = ? AND \`revoked_at\` IS NULL`;
const REVOKE_USER = `UPDATE ${T} SET \`revoked_at\` = ? WHERE \`app\` = ? AND \`user_id\` = ? AND \`revoked_at\` IS NULL`;
/** A live session is a family whose newest token is neither retired, revoked nor expired. */
const LIVE = `SELECT \`family\`, \`family_created_at\`, \`created_at\`, \`expires_at\`, \`user_agent\`, \`ip\` FROM ${T}
WHERE \`app\` = ? AND \`user_id\` = ? AND \`replaced_by\` IS NULL AND \`revoked_at\` IS NULL AND \`expires_at\` > ?
ORDER BY \`created_at\` DESC`;

/** One refresh token as stored. */
export interface StoredRefreshToken {
  id: number;
  userId: string;
  family: string;
  passwordMark: string;
  /** The session's start: each token of the family carries it. */
  familyCreatedAt: number;
  expiresAt: number;
  retired: boolean;
  revoked: boolean;
}

/** What a new token row needs; `familyCreatedAt` is the session's start. */
export interface NewRefreshToken {
  app: string;
  userId: string;
  family: string;
  tokenHash: string;
  passwordMark: string;
  familyCreatedAt: number;
  now: number;
  expiresAt: number;
  userAgent: string | null;
  ip: string | null;
}

export interface LiveSession {
  family: string;
  startedAt: number;
  lastUsedAt: number;
  expiresAt: number;
  userAgent: string | null;
  ip: string | null;
}

const insertParams = (t: NewRefreshToken): SqlValue[] => [
  t.app,
  t.userId,
  t.family,
  t.tokenHash,
  t.passwordMark,
  t.familyCreatedAt,
  t.now,
  t.expiresAt,
  t.userAgent,
  t.ip,
];

const affected = (result: TransactionResult, index: number): number =>
  (result[index] as InsertResult).affected_rows;

const isRetryable = (error: unknown): boolean =>
  error instanceof SogomsError && isRecord(error.details) && error.details.retryable === true;

/** The only code that writes SQL for `sogoms_refresh_tokens` (the same SQL on both engines). */
@Injectable()
export class SessionStore {
  constructor(private readonly db: DbClient) {}

  /** The statement that stores a new session's first token (run inside the caller's transaction). */
  insertStatement(token: NewRefreshToken): TransactionStatement {
    return { sql: INSERT, params: insertParams(token), kind: 'write' };
  }

  revokeUserStatement(app: string, userId: string, now: number): TransactionStatement {
    return { sql: REVOKE_USER, params: [now, app, userId], kind: 'write' };
  }

  async insert(token: NewRefreshToken): Promise<void> {
    await this.db.transaction(token.app, [this.insertStatement(token)]);
  }

  async byHash(app: string, tokenHash: string): Promise<StoredRefreshToken | null> {
    const row = await this.db.queryOne(app, BY_HASH, [tokenHash, app]);
    return row === null ? null : storedOf(row);
  }

  /**
   * Retires `current` and stores `next` in one transaction. False when another request retired
   * it first (two refreshes with one token: the loser is a reuse).
   */
  async rotate(current: StoredRefreshToken, next: NewRefreshToken): Promise<boolean> {
    const statements: TransactionStatement[] = [
      { sql: RETIRE, params: [next.tokenHash, next.now, current.id], kind: 'write' },
      {
        sql: INSERT_SUCCESSOR,
        params: [...insertParams(next), current.id, next.tokenHash],
        kind: 'write',
      },
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        return affected(await this.db.transaction(next.app, statements), 1) === 1;
      } catch (error) {
        if (attempt >= 3 || !isRetryable(error)) throw error;
      }
    }
  }

  async revokeFamily(app: string, family: string, now: number): Promise<void> {
    await this.db.transaction(app, [{ sql: REVOKE_FAMILY, params: [now, app, family], kind: 'write' }]);
  }

  /** Revokes one session of the user; the number of tokens it ended (0: no such live session). */
  async revokeUserFamily(app: string, userId: string, family: string, now: number): Promise<number> {
    const result = await this.db.transaction(app, [
      { sql: REVOKE_USER_FAMILY, params: [now, app, userId, family], kind: 'write' },
    ]);
    return affected(result, 0);
  }

  async revokeUser(app: string, userId: string, now: number): Promise<number> {
    return affected(await this.db.transaction(app, [this.revokeUserStatement(app, userId, now)]), 0);
  }

  async live(app: string, userId: string, now: number): Promise<LiveSession[]> {
    const rows = await this.db.query(app, LIVE, [app, userId, now]);
    return rows.map((row) => ({
      family: String(row.family),
      startedAt: Number(row.family_created_at),
      lastUsedAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
      userAgent: typeof row.user_agent === 'string' ? row.user_agent : null,
      ip: typeof row.ip === 'string' ? row.ip : null,
    }));
  }
}

const storedOf = (row: Row): StoredRefreshToken => ({
  id: Number(row.id),
  userId: String(row.user_id),
  family: String(row.family),
  passwordMark: String(row.password_mark),
  familyCreatedAt: Number(row.family_created_at),
  expiresAt: Number(row.expires_at),
  retired: row.replaced_by !== null,
  revoked: row.revoked_at !== null,
});
