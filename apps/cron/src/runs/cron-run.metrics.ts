import { Injectable } from '@nestjs/common';
import type { CronRun } from '@sogoms/ipc';
import { ServiceMetrics } from '@sogoms/metrics';
import { Counter, Histogram } from 'prom-client';

/** Cron jobs run for seconds to minutes: buckets up to an hour (a job's longest timeout is its own). */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/**
 * `sogoms_cron_runs_total{app,job,status}`: finished runs of this process by outcome (ok, failed,
 * timeout, skipped; abandoned when this process found another's run abandoned), and
 * `sogoms_cron_run_duration_seconds{app,job}`: from its start to its end, retries included
 * (skipped runs, which never started, are not in it). Jobs come from cron.yaml: bounded.
 */
@Injectable()
export class CronRunMetrics {
  private readonly runs: Counter<'app' | 'job' | 'status'>;
  private readonly duration: Histogram<'app' | 'job'>;

  constructor(metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    this.runs = new Counter({
      name: 'sogoms_cron_runs_total',
      help: 'Finished cron runs, per app, job and status.',
      labelNames: ['app', 'job', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'sogoms_cron_run_duration_seconds',
      help: 'How long a cron run took, start to end, retries included.',
      labelNames: ['app', 'job'],
      buckets: DURATION_BUCKETS,
      registers,
    });
  }

  finished(run: CronRun): void {
    this.runs.inc({ app: run.app, job: run.job, status: run.status });
    if (run.started_at === null || run.finished_at === null || run.status === 'skipped') return;
    const seconds = (Date.parse(run.finished_at) - Date.parse(run.started_at)) / 1000;
    if (Number.isFinite(seconds) && seconds >= 0)
      this.duration.observe({ app: run.app, job: run.job }, seconds);
  }

  abandoned(app: string, job: string): void {
    this.runs.inc({ app, job, status: 'abandoned' });
  }
}
