import type { SqlDialect } from '@sogoms/db/dialect';

export const CRON_RUNS_TABLE = 'sogoms_cron_runs';
export const CRON_JOBS_TABLE = 'sogoms_cron_jobs';

/**
 * The tables cron keeps in each app's database, created when missing. `sogoms_cron_runs` has one
 * row per fire time of a job: its unique key is the claim (the process whose insert succeeds
 * runs it). `sogoms_cron_jobs` keeps what outlives a process: a job's pause. Times are epoch
 * milliseconds (BIGINT) on both engines; leases are compared with the database's clock.
 */
export const cronTablesDdl = (dialect: SqlDialect): string[] => [
  `CREATE TABLE IF NOT EXISTS \`${CRON_RUNS_TABLE}\` (
  \`id\` ${dialect.autoIncrementKey},
  \`app\` VARCHAR(64) NOT NULL,
  \`job\` VARCHAR(64) NOT NULL,
  \`scheduled_at\` BIGINT NOT NULL,
  \`run_trigger\` VARCHAR(16) NOT NULL,
  \`status\` VARCHAR(16) NOT NULL,
  \`attempt\` INT NOT NULL,
  \`max_attempts\` INT NOT NULL,
  \`started_at\` BIGINT NULL,
  \`finished_at\` BIGINT NULL,
  \`lease_until\` BIGINT NULL,
  \`owner\` VARCHAR(128) NULL,
  \`abandoned_by\` VARCHAR(128) NULL,
  \`error\` VARCHAR(1000) NULL,
  \`summary\` VARCHAR(2000) NULL,
  UNIQUE (\`app\`, \`job\`, \`scheduled_at\`)
)${dialect.tableOptions}`,
  `CREATE INDEX IF NOT EXISTS \`${CRON_RUNS_TABLE}_status\` ON \`${CRON_RUNS_TABLE}\` (\`app\`, \`status\`, \`lease_until\`)`,
  `CREATE TABLE IF NOT EXISTS \`${CRON_JOBS_TABLE}\` (
  \`app\` VARCHAR(64) NOT NULL,
  \`job\` VARCHAR(64) NOT NULL,
  \`paused\` INT NOT NULL DEFAULT 0,
  \`updated_at\` BIGINT NOT NULL,
  PRIMARY KEY (\`app\`, \`job\`)
)${dialect.tableOptions}`,
];
