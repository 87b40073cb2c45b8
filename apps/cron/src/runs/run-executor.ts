import { Injectable, Logger } from '@nestjs/common';
import type { CronRun } from '@sogoms/ipc';
import type { CronJobDef } from '../config/cron-job.js';
import { CronSettings } from '../cron-settings.js';
import { JobRunners } from '../jobs/job-runners.js';
import { PermanentJobError, type RunSummary } from '../jobs/job-runner.js';
import { CronRunsRepository, type HeldRun } from './cron-runs.repository.js';
import { retryDelayMs } from './retry-delay.js';
import { RunLog } from './run-log.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const WAIT_POLL_MS = 500;

class AttemptTimeout extends Error {
  constructor(seconds: number) {
    super(`timed out after ${seconds} s`);
    this.name = 'AttemptTimeout';
  }
}

/** A held run's lease, renewed every third of its length until `stop`. */
class LeaseKeeper {
  private timer: NodeJS.Timeout;
  lost = false;

  constructor(renew: () => Promise<boolean>, leaseMs: number, onLost: () => void) {
    this.timer = setInterval(
      () => {
        renew().then(
          (held) => {
            if (!held && !this.lost) {
              this.lost = true;
              onLost();
            }
          },
          // The database is away: keep trying; if it stays away the lease runs out and another
          // process may take the run over, which is what a lease is for.
          () => undefined,
        );
      },
      Math.max(250, Math.floor(leaseMs / 3)),
    );
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * Runs a claimed fire time to its end: the overlap rule, attempts with timeout and backoff, the
 * lease renewed all along, the outcome recorded and logged.
 */
@Injectable()
export class RunExecutor {
  private readonly logger = new Logger('cron');

  constructor(
    private readonly repo: CronRunsRepository,
    private readonly settings: CronSettings,
    private readonly runners: JobRunners,
    private readonly log: RunLog,
  ) {}

  async execute(
    job: CronJobDef,
    held: HeldRun,
    scheduledAt: number,
    overlapCheck: boolean,
  ): Promise<CronRun> {
    const owner = this.settings.owner;
    const leaseMs = this.settings.cronOf(job.app).leaseS * 1000;
    const current = new AbortController();
    const lease = new LeaseKeeper(
      () => this.repo.renew(job.app, held.id, owner, leaseMs),
      leaseMs,
      () => {
        this.logger.warn(`${job.app}/${job.name}: lost the lease of run ${held.id}; stopping it`);
        current.abort();
      },
    );
    try {
      if (overlapCheck && (await this.repo.otherRunning(job.app, job.name, held.id))) {
        if (job.overlap === 'skip') {
          await this.repo.finish(job.app, held.id, owner, {
            status: 'skipped',
            error: 'the previous run was still going (overlap: skip)',
            summary: null,
          });
          return this.done(job.app, held.id);
        }
        while (await this.repo.otherRunning(job.app, job.name, held.id)) await sleep(WAIT_POLL_MS);
      }
      let attempt = held.attempt;
      for (;;) {
        const outcome = await this.attempt(job, held.id, scheduledAt, attempt, current.signal);
        if (lease.lost) return this.done(job.app, held.id);
        const last = attempt >= job.retry.maxAttempts || outcome.permanent;
        if (outcome.status === 'ok' || last) {
          await this.repo.finish(job.app, held.id, owner, outcome);
          return this.done(job.app, held.id);
        }
        attempt++;
        await sleep(retryDelayMs(job.retry, attempt));
        await this.repo.setAttempt(job.app, held.id, owner, attempt);
      }
    } finally {
      lease.stop();
    }
  }

  private async attempt(
    job: CronJobDef,
    runId: number,
    scheduledAt: number,
    attempt: number,
    runSignal: AbortSignal,
  ): Promise<{
    status: 'ok' | 'failed' | 'timeout';
    error: string | null;
    summary: RunSummary | null;
    permanent: boolean;
  }> {
    const timeoutMs = job.timeoutS * 1000;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    runSignal.addEventListener('abort', onAbort);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new AttemptTimeout(job.timeoutS));
      }, timeoutMs);
    });
    try {
      const summary = await Promise.race([
        this.runners.run(job, { runId, scheduledAt, attempt, signal: controller.signal, timeoutMs }),
        timeout,
      ]);
      return { status: 'ok', error: null, summary, permanent: false };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const summary = (error as { summary?: RunSummary }).summary ?? null;
      if (error instanceof AttemptTimeout)
        return { status: 'timeout', error: message, summary, permanent: false };
      return { status: 'failed', error: message, summary, permanent: error instanceof PermanentJobError };
    } finally {
      clearTimeout(timer);
      runSignal.removeEventListener('abort', onAbort);
    }
  }

  private async done(app: string, id: number): Promise<CronRun> {
    const run = await this.repo.get(app, id);
    this.log.finished(run);
    return run;
  }
}
