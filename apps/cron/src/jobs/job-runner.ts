import type { CronJobDef } from '../config/cron-job.js';

/** What a runner knows of the run it does. */
export interface RunContext {
  runId: number;
  /** The fire time (epoch ms); for a manual run, when it was asked for. */
  scheduledAt: number;
  attempt: number;
  /** Aborted when the attempt's `timeout_s` is up. */
  signal: AbortSignal;
  timeoutMs: number;
}

/** A short, capped account of what a run did (status code, mails queued...), kept with the run. */
export type RunSummary = Record<string, unknown>;

/** One job type's work. Throws to fail the attempt; a `permanent` error is not retried. */
export interface JobRunner<J extends CronJobDef = CronJobDef> {
  run(job: J, ctx: RunContext): Promise<RunSummary>;
}

/** A failure that another attempt cannot fix (a refused address, a bad payload). */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
