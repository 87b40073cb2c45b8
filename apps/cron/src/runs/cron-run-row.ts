import type { CronRun, CronRunStatus, CronRunTrigger, Row } from '@sogoms/ipc';

export const RUN_COLUMNS =
  'id, app, job, scheduled_at, run_trigger, status, attempt, max_attempts, started_at, finished_at, owner, abandoned_by, error, summary';

const iso = (value: unknown): string | null =>
  value === null || value === undefined ? null : new Date(Number(value)).toISOString();

/** A text column, null when NULL. */
const textOf = (value: unknown): string | null =>
  typeof value === 'string' ? value : value === null || value === undefined ? null : JSON.stringify(value);

const summaryOf = (value: unknown): Record<string, unknown> | null => {
  if (value === null || value === undefined) return null;
  try {
    return JSON.parse(textOf(value) ?? 'null') as Record<string, unknown>;
  } catch {
    return { text: textOf(value) };
  }
};

/** A row of `sogoms_cron_runs` as the IPC actions answer it. */
export const cronRunOf = (row: Row): CronRun => ({
  id: Number(row.id),
  app: String(row.app),
  job: String(row.job),
  scheduled_at: iso(row.scheduled_at) ?? '',
  trigger: String(row.run_trigger) as CronRunTrigger,
  status: String(row.status) as CronRunStatus,
  attempt: Number(row.attempt),
  max_attempts: Number(row.max_attempts),
  started_at: iso(row.started_at),
  finished_at: iso(row.finished_at),
  error: textOf(row.error),
  summary: summaryOf(row.summary),
  owner: textOf(row.owner),
  abandoned_by: textOf(row.abandoned_by),
});
