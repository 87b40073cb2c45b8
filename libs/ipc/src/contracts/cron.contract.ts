/**
 * The cron service's message patterns and payloads (docs/cron.md). Jobs come from
 * `config/apps/{app}/cron.yaml`; each fire time runs once across every cron process, recorded
 * in the app's `sogoms_cron_runs`. Errors come back as SogomsError: NOT_FOUND (unknown app, job
 * or run), VALIDATION_FAILED (bad payload field; details {field}), UNAVAILABLE (the database
 * cannot be reached).
 */
export const CRON_PATTERNS = {
  /** `{app?}` → CronJobInfo[]: the jobs with their next 3 fire times in their zone. */
  list: 'cron.list',
  /** `{app, job}` → CronRun: runs the job now (outside its schedule) and answers the finished run. */
  trigger: 'cron.trigger',
  /** `{app, job?, limit?}` → CronRun[]: the newest runs of a job, or of every job of the app. */
  status: 'cron.status',
  /** `{app, job}` → CronJobInfo: no fire time runs until `resume` (kept in the database). */
  pause: 'cron.pause',
  resume: 'cron.resume',
  /** `{ok: true}` only while the cron service reaches the db service. */
  health: 'cron.health',
} as const;

export type CronRunStatus = 'running' | 'ok' | 'failed' | 'timeout' | 'skipped' | 'abandoned';
export const CRON_RUN_STATUSES: readonly CronRunStatus[] = [
  'running',
  'ok',
  'failed',
  'timeout',
  'skipped',
  'abandoned',
];

/** What started a run: its schedule, `sogoms cron trigger`, or a missed fire time (`catch_up: last`). */
export type CronRunTrigger = 'schedule' | 'manual' | 'catch_up';

export interface CronJobRef {
  app: string;
  job: string;
}

export interface CronStatusRequest {
  app: string;
  job?: string;
  /** Default 20, at most 500; newest first. */
  limit?: number;
}

/** One job as `list` answers it. */
export interface CronJobInfo {
  app: string;
  job: string;
  type: 'http' | 'service' | 'query_email';
  schedule: string;
  timezone: string;
  enabled: boolean;
  paused: boolean;
  /** ISO 8601 with the zone's offset; empty when disabled or paused. */
  next: string[];
}

/** One run of `sogoms_cron_runs` (times ISO 8601, UTC). */
export interface CronRun {
  id: number;
  app: string;
  job: string;
  scheduled_at: string;
  trigger: CronRunTrigger;
  status: CronRunStatus;
  attempt: number;
  max_attempts: number;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  /** A capped summary of the output, e.g. `{status: 200}` or `{mails: 2}`. */
  summary: Record<string, unknown> | null;
  /** `host:pid` of the process that ran (or runs) it. */
  owner: string | null;
  /** `host:pid` of a process that died holding it (its lease ran out), when one did. */
  abandoned_by: string | null;
}
