import type { SqlDialect } from '@sogoms/db/dialect';

export const IDEMPOTENCY_TABLE = 'sogoms_idempotency';

/**
 * The `Idempotency-Key`s of creates, in the app's own database (`app` is a column: apps may share
 * a database): one row per created row (`item`: its index in an array body), written in the
 * transaction that creates it, so a key is recorded exactly when its rows are. The primary key
 * is what makes two requests with one key create once. `row_key` is the JSON of the key values
 * the body gave (null where the key is the auto id), `row_auto` that id. Times are epoch ms.
 * Under 3072 bytes of key on MariaDB: (64 + 64 + 191 + 255) × 4 + 4.
 */
export const idempotencyTableDdl = (dialect: SqlDialect): string[] => [
  `CREATE TABLE IF NOT EXISTS \`${IDEMPOTENCY_TABLE}\` (
  \`app\` VARCHAR(64) NOT NULL,
  \`table_name\` VARCHAR(64) NOT NULL,
  \`caller\` VARCHAR(191) NOT NULL,
  \`idempotency_key\` VARCHAR(255) NOT NULL,
  \`item\` INT NOT NULL,
  \`request_hash\` CHAR(64) NOT NULL,
  \`row_auto\` BIGINT NULL,
  \`row_key\` ${dialect.longText} NOT NULL,
  \`created_at\` BIGINT NOT NULL,
  PRIMARY KEY (\`app\`, \`table_name\`, \`caller\`, \`idempotency_key\`, \`item\`)
)${dialect.tableOptions}`,
  `CREATE INDEX IF NOT EXISTS \`${IDEMPOTENCY_TABLE}_created\` ON \`${IDEMPOTENCY_TABLE}\` (\`app\`, \`created_at\`)`,
];
