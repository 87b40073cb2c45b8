import { Injectable } from '@nestjs/common';
import type { InsertResult, TransactionStatement } from '@sogoms/ipc';
import { DbClient } from '../ipc/db.client.js';
import { ONE_TIME_TOKENS } from './account-tables.js';

const T = `\`${ONE_TIME_TOKENS}\``;

export type OneTimePurpose = 'reset' | 'verify';

/** A token still usable: not used, not expired. */
export interface UsableToken {
  id: number;
  userId: string;
}

/** The only code that writes SQL for `sogoms_auth_tokens` (single-use reset and verification tokens, hashed). */
@Injectable()
export class OneTimeTokens {
  constructor(private readonly db: DbClient) {}

  async insert(
    app: string,
    purpose: OneTimePurpose,
    userId: string,
    tokenHash: string,
    now: number,
    expiresAt: number,
  ): Promise<void> {
    await this.db.transaction(app, [
      {
        sql: `INSERT INTO ${T} (\`app\`, \`purpose\`, \`user_id\`, \`token_hash\`, \`created_at\`, \`expires_at\`) VALUES (?, ?, ?, ?, ?, ?)`,
        params: [app, purpose, userId, tokenHash, now, expiresAt],
        kind: 'write',
      },
    ]);
  }

  /** The token when it is known, unused and not expired; null otherwise. */
  async find(
    app: string,
    purpose: OneTimePurpose,
    tokenHash: string,
    now: number,
  ): Promise<UsableToken | null> {
    const row = await this.db.queryOne(
      app,
      `SELECT \`id\`, \`user_id\` FROM ${T} WHERE \`token_hash\` = ? AND \`app\` = ? AND \`purpose\` = ? AND \`used_at\` IS NULL AND \`expires_at\` > ?`,
      [tokenHash, app, purpose, now],
    );
    return row === null ? null : { id: Number(row.id), userId: String(row.user_id) };
  }

  /** Marks it used: true for the one request that did (two requests with one token: one wins). */
  async use(app: string, token: UsableToken, now: number): Promise<boolean> {
    const [used] = await this.db.transaction(app, [
      {
        sql: `UPDATE ${T} SET \`used_at\` = ? WHERE \`id\` = ? AND \`used_at\` IS NULL`,
        params: [now, token.id],
        kind: 'write',
      },
    ]);
    return (used as InsertResult).affected_rows === 1;
  }

  /** Ends every other unused token of the user for this purpose (after a reset, one link is enough). */
  useAllStatement(app: string, purpose: OneTimePurpose, userId: string, now: number): TransactionStatement {
    return {
      sql: `UPDATE ${T} SET \`used_at\` = ? WHERE \`app\` = ? AND \`user_id\` = ? AND \`purpose\` = ? AND \`used_at\` IS NULL`,
      params: [now, app, userId, purpose],
      kind: 'write',
    };
  }
}
