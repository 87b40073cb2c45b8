import type { SqlDialect } from '@sogoms/db/dialect';

export const WEBHOOK_QUEUE_TABLE = 'sogoms_webhook_queue';

/**
 * Webhook calls of mail rules, in the app's own database like the mail queue: written before
 * the message counts as processed, delivered by the worker with retries. The secret is not
 * stored: the worker signs with the rule's current one. Times are epoch milliseconds.
 */
export const webhookQueueTableDdl = (dialect: SqlDialect): string[] => [
  `CREATE TABLE IF NOT EXISTS \`${WEBHOOK_QUEUE_TABLE}\` (
  \`id\` ${dialect.autoIncrementKey},
  \`app\` VARCHAR(64) NOT NULL,
  \`rule\` VARCHAR(64) NOT NULL,
  \`dedupe_key\` VARCHAR(191) NOT NULL,
  \`url\` VARCHAR(2000) NOT NULL,
  \`allow_private\` INT NOT NULL,
  \`body\` ${dialect.longText} NOT NULL,
  \`state\` VARCHAR(16) NOT NULL,
  \`attempts\` INT NOT NULL DEFAULT 0,
  \`next_attempt_at\` BIGINT NOT NULL,
  \`lease_until\` BIGINT NULL,
  \`last_error\` VARCHAR(1000) NULL,
  \`created_at\` BIGINT NOT NULL,
  \`updated_at\` BIGINT NOT NULL,
  UNIQUE (\`app\`, \`dedupe_key\`)
)${dialect.tableOptions}`,
];
