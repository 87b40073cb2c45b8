import { Injectable } from '@nestjs/common';
import { isRecord, SogomsError } from '@sogoms/common';
import type { CronJobInfo, CronRun } from '@sogoms/ipc';
import { jobKey, type CronJobDef } from './config/cron-job.js';
import { CronSettings } from './cron-settings.js';
import { CronDatabase } from './runs/cron-database.js';
import { CronRunsRepository } from './runs/cron-runs.repository.js';
import { RunCoordinator } from './runs/run-coordinator.js';
import { fireTimesAfter, inZone } from './schedule/fire-times.js';
import { JobScheduler } from './schedule/job-scheduler.js';

const MAX_STATUS = 500;
const HEALTH_TIMEOUT_MS = 1000;

const invalid = (field: string, message: string): SogomsError =>
  new SogomsError('VALIDATION_FAILED', `${field}: ${message}`, { field });

const requestOf = (payload: unknown): Record<string, unknown> => {
  if (!isRecord(payload)) throw new SogomsError('BAD_REQUEST', 'The payload must be a mapping');
  return payload;
};

const nameOf = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || value === '') throw invalid(field, 'a name is required');
  return value;
};

/** The cron service's actions: every payload is checked here. */
@Injectable()
export class CronService {
  constructor(
    private readonly settings: CronSettings,
    private readonly repo: CronRunsRepository,
    private readonly coordinator: RunCoordinator,
    private readonly scheduler: JobScheduler,
    private readonly db: CronDatabase,
  ) {}

  async list(payload: unknown): Promise<CronJobInfo[]> {
    const request = requestOf(payload);
    const apps =
      request.app === undefined
        ? this.settings.cronApps()
        : [this.settings.cronOf(nameOf(request.app, 'app'))];
    const out: CronJobInfo[] = [];
    for (const cron of apps) {
      const paused = cron.jobs.length === 0 ? new Set<string>() : await this.repo.pausedJobs(cron.app);
      for (const job of cron.jobs) out.push(this.info(job, paused.has(job.name)));
    }
    return out;
  }

  /** Runs the job now in this process, whatever its schedule or pause, and answers the finished run. */
  async trigger(payload: unknown): Promise<CronRun> {
    const job = this.jobOf(requestOf(payload));
    const run = await this.coordinator.fire(job, Date.now(), 'manual');
    // A manual fire time is this instant: only a clash within the same millisecond loses it.
    if (run === null)
      throw new SogomsError('CONFLICT', `Job '${job.name}' was triggered twice in the same millisecond`);
    return run;
  }

  status(payload: unknown): Promise<CronRun[]> {
    const request = requestOf(payload);
    const app = this.settings.cronOf(nameOf(request.app, 'app')).app;
    const job = request.job === undefined ? null : this.settings.job(app, nameOf(request.job, 'job')).name;
    const limit = request.limit ?? 20;
    if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > MAX_STATUS)
      throw invalid('limit', `an integer from 1 to ${MAX_STATUS} is required`);
    return this.repo.list(app, job, limit);
  }

  async pause(payload: unknown): Promise<CronJobInfo> {
    const job = this.jobOf(requestOf(payload));
    await this.repo.setPaused(job.app, job.name, true);
    return this.info(job, true);
  }

  async resume(payload: unknown): Promise<CronJobInfo> {
    const job = this.jobOf(requestOf(payload));
    await this.repo.setPaused(job.app, job.name, false);
    return this.info(job, false);
  }

  async health(): Promise<{ ok: true }> {
    if (!(await this.db.reachable(HEALTH_TIMEOUT_MS)))
      throw new SogomsError('UNAVAILABLE', 'The cron service cannot reach the database service');
    return { ok: true };
  }

  private jobOf(request: Record<string, unknown>): CronJobDef {
    const app = nameOf(request.app, 'app');
    const name = nameOf(request.job, 'job');
    return this.scheduler.scheduled(jobKey(app, name)) ?? this.settings.job(app, name);
  }

  private info(job: CronJobDef, paused: boolean): CronJobInfo {
    const next =
      job.enabled && !paused
        ? fireTimesAfter(job.schedule, job.timezone, Date.now(), 3).map((t) => inZone(t, job.timezone))
        : [];
    return {
      app: job.app,
      job: job.name,
      type: job.type,
      schedule: job.schedule,
      timezone: job.timezone,
      enabled: job.enabled,
      paused,
      next,
    };
  }
}
