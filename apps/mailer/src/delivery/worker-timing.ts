import { DEFAULT_BACKOFF, type BackoffPolicy } from './retry-backoff.js';

/** How the worker paces itself; tests shorten it (MailerModule.forRoot's `timing`). */
export interface WorkerTiming {
  /** Between two looks at the queue when it was empty (a send wakes the worker at once). */
  pollMs: number;
  /**
   * How long a claim holds its messages unless renewed (the worker renews it every third of
   * this while the sends run): a worker that dies gives them back after at most this.
   */
  leaseMs: number;
  /** Messages claimed at once per app, at most (the app's `pool` × 2 bounds it too). */
  batch: number;
  backoff: BackoffPolicy;
  /** Between two purges of old sent and dead rows. */
  purgeEveryMs: number;
}

export const DEFAULT_WORKER_TIMING: WorkerTiming = {
  pollMs: 1000,
  leaseMs: 30_000,
  batch: 50,
  backoff: DEFAULT_BACKOFF,
  purgeEveryMs: 3600_000,
};

/** Injection token of the WorkerTiming. */
export const WORKER_TIMING = Symbol('sogoms.mailer.worker_timing');
