import { Injectable, Logger } from '@nestjs/common';
import type { CronRun, CronRunTrigger } from '@sogoms/ipc';
import type { CronJobDef } from '../config/cron-job.js';
import { CronSettings } from '../cron-settings.js';
import { CronRunsRepository } from './cron-runs.repository.js';
import { RunExecutor } from './run-executor.js';
import { RunLog } from './run-log.js';

/** Turns a fire time into at most one run across every cron process: claim, then execute. */
@Injectable()
export class RunCoordinator {
  private readonly logger = new Logger('cron');

  constructor(
    private readonly repo: CronRunsRepository,
    private readonly settings: CronSettings,
    private readonly executor: RunExecutor,
    private readonly log: RunLog,
  ) {}

  /** Runs the fire time if this process claims it; null when another process (or a pause) has it. */
  async fire(job: CronJobDef, scheduledAt: number, trigger: CronRunTrigger): Promise<CronRun | null> {
    const held = await this.repo.claim({
      app: job.app,
      job: job.name,
      scheduledAt,
      trigger,
      maxAttempts: job.retry.maxAttempts,
      leaseMs: this.settings.cronOf(job.app).leaseS * 1000,
      owner: this.settings.owner,
      unlessPaused: trigger !== 'manual',
    });
    if (held === null) return null;
    return this.executor.execute(job, held, scheduledAt, true);
  }

  /** Marks runs of dead processes abandoned and takes over those with attempts left. */
  async recover(app: string): Promise<void> {
    const cron = this.settings.cronOf(app);
    const candidates = await this.repo.sweepAbandoned(app);
    for (const candidate of candidates) {
      const job = cron.jobs.find((j) => j.name === candidate.job);
      if (job === undefined) continue;
      const held = await this.repo.takeOver(app, candidate.id, this.settings.owner, cron.leaseS * 1000);
      if (held === null) continue;
      const previous = await this.repo.get(app, candidate.id);
      this.log.abandoned(app, job.name, candidate.id, previous.abandoned_by);
      this.logger.warn(
        `${app}/${job.name}: took over abandoned run ${candidate.id} (attempt ${held.attempt})`,
      );
      this.executor.execute(job, held, candidate.scheduledAt, false).catch((error: unknown) => {
        this.logger.error(
          `${app}/${job.name}: run ${candidate.id}: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    }
  }
}
