import type { CronJobInfo, CronRun } from '@sogoms/ipc';
import { textTable } from '../text-table.js';

const stateOf = (job: CronJobInfo): string => (!job.enabled ? 'disabled' : job.paused ? 'paused' : 'active');

/** Jobs as `cron list` prints them: the next fire times in the job's zone. */
export const cronJobsTable = (jobs: readonly CronJobInfo[]): string =>
  jobs.length === 0
    ? '(no jobs: no app has a cron.yaml with jobs)'
    : textTable(
        ['APP', 'JOB', 'TYPE', 'SCHEDULE', 'ZONE', 'STATE', 'NEXT'],
        jobs.map((j) => [j.app, j.job, j.type, j.schedule, j.timezone, stateOf(j), j.next.join(', ')]),
      );

const summaryText = (run: CronRun): string =>
  run.summary === null ? '' : JSON.stringify(run.summary).slice(0, 80);

/** Runs as `cron status` and `cron trigger` print them. */
export const cronRunsTable = (runs: readonly CronRun[]): string =>
  runs.length === 0
    ? '(no runs)'
    : textTable(
        ['ID', 'JOB', 'SCHEDULED', 'TRIGGER', 'STATUS', 'ATTEMPT', 'FINISHED', 'OWNER', 'ERROR / SUMMARY'],
        runs.map((r) => [
          String(r.id),
          r.job,
          r.scheduled_at,
          r.trigger,
          r.status,
          `${r.attempt}/${r.max_attempts}`,
          r.finished_at ?? '',
          r.owner ?? '',
          r.error ?? summaryText(r),
        ]),
      );
