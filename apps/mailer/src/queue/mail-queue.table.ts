import type { SqlDialect } from '@sogoms/db/dialect';

export const MAIL_QUEUE_TABLE = 'sogoms_mail_queue';

/**
 * The queue's DDL (one row per message, `app` its sender: apps may share a database) in the app's own database, created when missing. Times are epoch
 * milliseconds (BIGINT): the same on both engines, compared with bound values, no clock function.
 */
export const mailQueueTableDdl = (dialect: SqlDialect): string[] => [
  `CREATE TABLE IF NOT EXISTS \`${MAIL_QUEUE_TABLE}\` (
  \`id\` ${dialect.autoIncrementKey},
  \`app\` VARCHAR(64) NOT NULL,
  \`idempotency_key\` VARCHAR(191) NULL,
  \`state\` VARCHAR(16) NOT NULL,
  \`to_address\` VARCHAR(1000) NOT NULL,
  \`subject\` VARCHAR(998) NOT NULL,
  \`message\` ${dialect.longText} NOT NULL,
  \`attempts\` INT NOT NULL DEFAULT 0,
  \`max_attempts\` INT NOT NULL,
  \`next_attempt_at\` BIGINT NOT NULL,
  \`lease_token\` VARCHAR(32) NULL,
  \`lease_until\` BIGINT NULL,
  \`last_error\` VARCHAR(1000) NULL,
  \`provider_message_id\` VARCHAR(255) NULL,
  \`created_at\` BIGINT NOT NULL,
  \`updated_at\` BIGINT NOT NULL,
  \`sent_at\` BIGINT NULL,
  UNIQUE (\`app\`, \`idempotency_key\`)
)${dialect.tableOptions}`,
  `CREATE INDEX IF NOT EXISTS \`${MAIL_QUEUE_TABLE}_due\` ON \`${MAIL_QUEUE_TABLE}\` (\`app\`, \`state\`, \`next_attempt_at\`)`,
];
