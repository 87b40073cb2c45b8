import { Inject, Injectable } from '@nestjs/common';
import { IpcClient, ipcClientToken, LogReporter, type CronRun } from '@sogoms/ipc';
import { CronRunMetrics } from './cron-run.metrics.js';

/** Every finished run goes to the logs service (fire-and-forget): events for ok and skipped, errors otherwise; and to the metrics. */
@Injectable()
export class RunLog {
  private readonly logs: LogReporter;

  constructor(
    @Inject(ipcClientToken('logs')) logs: IpcClient,
    private readonly metrics: CronRunMetrics,
  ) {
    this.logs = new LogReporter(logs, 'cron');
  }

  finished(run: CronRun): void {
    this.metrics.finished(run);
    const data = { ...run } as unknown as Record<string, unknown>;
    const message = `cron job ${run.job} (${run.scheduled_at}): ${run.status}, attempt ${run.attempt}/${run.max_attempts}${run.error === null ? '' : `: ${run.error}`}`;
    if (run.status === 'ok' || run.status === 'skipped') this.logs.event(run.app, 'cron_run', message, data);
    else this.logs.error(run.app, 'cron_run_failed', message, data);
  }

  abandoned(app: string, job: string, id: number, by: string | null): void {
    this.metrics.abandoned(app, job);
    this.logs.error(
      app,
      'cron_run_abandoned',
      `cron job ${job}: run ${id} abandoned (its process stopped renewing the lease)`,
      {
        id,
        abandoned_by: by,
      },
    );
  }
}
