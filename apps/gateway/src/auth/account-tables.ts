import { Injectable } from '@nestjs/common';
import type { SqlDialect } from '@sogoms/db/dialect';
import { DbClient } from '../ipc/db.client.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { OncePerAppDatabase } from '../runtime/once-per-app-database.js';

/** One row per refresh token; a session is a family of them (each refresh adds one, retires the last). */
export const REFRESH_TOKENS = 'sogoms_refresh_tokens';
/** Single-use reset and verification tokens. */
export const ONE_TIME_TOKENS = 'sogoms_auth_tokens';
/** Counters of failed logins and of mails asked for, per account, address and IP. */
export const ATTEMPTS = 'sogoms_auth_attempts';

/**
 * The DDL of the accounts' tables in the app's own database (`app` is a column: apps may share
 * a database). Times are epoch milliseconds (BIGINT): alike on both engines, compared with bound
 * values, no clock function. Only SHA-256 hashes of tokens are stored.
 */
export const accountTablesDdl = (dialect: SqlDialect): string[] => [
  `CREATE TABLE IF NOT EXISTS \`${REFRESH_TOKENS}\` (
  \`id\` ${dialect.autoIncrementKey},
  \`app\` VARCHAR(64) NOT NULL,
  \`user_id\` VARCHAR(64) NOT NULL,
  \`family\` CHAR(32) NOT NULL,
  \`token_hash\` CHAR(64) NOT NULL,
  \`password_mark\` CHAR(16) NOT NULL,
  \`family_created_at\` BIGINT NOT NULL,
  \`created_at\` BIGINT NOT NULL,
  \`last_used_at\` BIGINT NULL,
  \`expires_at\` BIGINT NOT NULL,
  \`replaced_by\` CHAR(64) NULL,
  \`revoked_at\` BIGINT NULL,
  \`user_agent\` VARCHAR(255) NULL,
  \`ip\` VARCHAR(64) NULL,
  UNIQUE (\`token_hash\`)
)${dialect.tableOptions}`,
  `CREATE INDEX IF NOT EXISTS \`${REFRESH_TOKENS}_user\` ON \`${REFRESH_TOKENS}\` (\`app\`, \`user_id\`, \`family\`)`,
  `CREATE TABLE IF NOT EXISTS \`${ONE_TIME_TOKENS}\` (
  \`id\` ${dialect.autoIncrementKey},
  \`app\` VARCHAR(64) NOT NULL,
  \`purpose\` VARCHAR(16) NOT NULL,
  \`user_id\` VARCHAR(64) NOT NULL,
  \`token_hash\` CHAR(64) NOT NULL,
  \`created_at\` BIGINT NOT NULL,
  \`expires_at\` BIGINT NOT NULL,
  \`used_at\` BIGINT NULL,
  UNIQUE (\`token_hash\`)
)${dialect.tableOptions}`,
  `CREATE INDEX IF NOT EXISTS \`${ONE_TIME_TOKENS}_user\` ON \`${ONE_TIME_TOKENS}\` (\`app\`, \`user_id\`, \`purpose\`)`,
  `CREATE TABLE IF NOT EXISTS \`${ATTEMPTS}\` (
  \`app\` VARCHAR(64) NOT NULL,
  \`bucket\` VARCHAR(300) NOT NULL,
  \`hits\` INT NOT NULL,
  \`window_start\` BIGINT NOT NULL,
  \`lock_ms\` BIGINT NOT NULL,
  \`locked_until\` BIGINT NOT NULL,
  PRIMARY KEY (\`app\`, \`bucket\`)
)${dialect.tableOptions}`,
];

/** Creates the accounts' tables when missing: once per process and app database, before the first use. */
@Injectable()
export class AccountTables {
  private readonly tables = new OncePerAppDatabase((app, dialect) => this.create(app, dialect));

  constructor(private readonly db: DbClient) {}

  ensure(app: AppRuntime): Promise<void> {
    return this.tables.run(app);
  }

  private async create(app: string, dialect: SqlDialect): Promise<void> {
    for (const sql of accountTablesDdl(dialect)) await this.db.query(app, sql);
  }
}
