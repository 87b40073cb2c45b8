import { Inject, Injectable } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import { CRON_PATTERNS, IpcClient, ipcClientToken, type CronJobInfo, type CronRun } from '@sogoms/ipc';
import type { FastifyRequest } from 'fastify';
import { AuditLog } from '../audit/audit-log.js';

export interface JobsView {
  app: string;
  jobs: CronJobInfo[];
  runs: CronRun[];
  /** Why there is nothing to show (no cron.yaml). */
  note: string | null;
}

/** The app's cron jobs through the cron service: next runs, history, trigger, pause, resume. */
@Injectable()
export class JobsService {
  constructor(
    @Inject(ipcClientToken('cron')) private readonly cron: IpcClient,
    private readonly audit: AuditLog,
  ) {}

  async view(app: string): Promise<JobsView> {
    try {
      const [jobs, runs] = await Promise.all([
        this.cron.call<CronJobInfo[]>(CRON_PATTERNS.list, { app }),
        this.cron.call<CronRun[]>(CRON_PATTERNS.status, { app, limit: 50 }),
      ]);
      return { app, jobs, runs, note: null };
    } catch (error) {
      // An app without cron.yaml has no jobs: an empty page, not an error.
      if (error instanceof SogomsError && error.code === 'NOT_FOUND')
        return { app, jobs: [], runs: [], note: error.message };
      throw error;
    }
  }

  async trigger(request: FastifyRequest, app: string, job: string): Promise<string> {
    const run = await this.cron.call<CronRun>(CRON_PATTERNS.trigger, { app, job });
    this.audit.record(request, {
      action: 'cron.trigger',
      app,
      after: { job, run: run.id, status: run.status },
    });
    return `/apps/${app}/jobs?notice=${encodeURIComponent(`${job}: run ${run.id} ${run.status}`)}`;
  }

  async pause(request: FastifyRequest, app: string, job: string, paused: boolean): Promise<string> {
    await this.cron.call<CronJobInfo>(paused ? CRON_PATTERNS.pause : CRON_PATTERNS.resume, { app, job });
    this.audit.record(request, {
      action: paused ? 'cron.pause' : 'cron.resume',
      app,
      after: { job, paused },
    });
    return `/apps/${app}/jobs?notice=${encodeURIComponent(`${job} ${paused ? 'paused' : 'resumed'}`)}`;
  }
}
