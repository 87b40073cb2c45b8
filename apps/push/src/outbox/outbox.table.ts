import type { SqlDialect } from '@sogoms/db/dialect';

export const OUTBOX_TABLE = 'sogoms_push_outbox';

/**
 * The outbox's DDL in the app's own database, created when missing. Its auto-increment key is
 * the event's sequence number; `app` names the publisher (apps may share a database), `owner`
 * the user whose topic it went to (NULL: broadcast). Times are epoch milliseconds (BIGINT).
 */
export const outboxTableDdl = (dialect: SqlDialect): string[] => [
  `CREATE TABLE IF NOT EXISTS \`${OUTBOX_TABLE}\` (
  \`id\` ${dialect.autoIncrementKey},
  \`app\` VARCHAR(64) NOT NULL,
  \`channel\` VARCHAR(64) NOT NULL,
  \`owner\` VARCHAR(191) NULL,
  \`message\` ${dialect.longText} NOT NULL,
  \`created_at\` BIGINT NOT NULL
)${dialect.tableOptions}`,
  `CREATE INDEX IF NOT EXISTS \`${OUTBOX_TABLE}_app_id\` ON \`${OUTBOX_TABLE}\` (\`app\`, \`id\`)`,
  `CREATE INDEX IF NOT EXISTS \`${OUTBOX_TABLE}_app_created\` ON \`${OUTBOX_TABLE}\` (\`app\`, \`created_at\`)`,
];
