import type { SqlDialect } from '@sogoms/db/dialect';

export const INBOX_RECORD_TABLE = 'sogoms_mail_inbox';

/**
 * One row per message the watcher has taken up, in the app's own database: the claim that makes
 * two mailer processes (or a restart) process a message once. The key is the IMAP identity of a
 * message: account, folder, UIDVALIDITY and UID. Times are epoch milliseconds.
 */
export const inboxRecordTableDdl = (dialect: SqlDialect): string[] => [
  `CREATE TABLE IF NOT EXISTS \`${INBOX_RECORD_TABLE}\` (
  \`id\` ${dialect.autoIncrementKey},
  \`app\` VARCHAR(64) NOT NULL,
  \`account\` VARCHAR(32) NOT NULL,
  \`folder\` VARCHAR(200) NOT NULL,
  \`uid_validity\` BIGINT NOT NULL,
  \`uid\` BIGINT NOT NULL,
  \`message_id\` VARCHAR(998) NULL,
  \`state\` VARCHAR(16) NOT NULL,
  \`lease_token\` VARCHAR(32) NULL,
  \`lease_until\` BIGINT NULL,
  \`attempts\` INT NOT NULL DEFAULT 0,
  \`outcome\` VARCHAR(1000) NULL,
  \`created_at\` BIGINT NOT NULL,
  \`updated_at\` BIGINT NOT NULL,
  UNIQUE (\`app\`, \`account\`, \`folder\`, \`uid_validity\`, \`uid\`)
)${dialect.tableOptions}`,
];
