import { Inject, Injectable } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import { IpcClient, ipcClientToken } from '@sogoms/ipc';
import type { ServiceJob } from '../config/cron-job.js';
import { PermanentJobError, type JobRunner, type RunContext, type RunSummary } from './job-runner.js';
import { serviceOfPattern } from './service-patterns.js';

const SUMMARY_CHARS = 500;
/** Answers that another attempt with the same payload cannot change. */
const PERMANENT_CODES = new Set(['VALIDATION_FAILED', 'BAD_REQUEST', 'NOT_FOUND', 'FORBIDDEN']);

/** `type: service`: one IPC call of another service, for the job's own app only. */
@Injectable()
export class ServiceJobRunner implements JobRunner<ServiceJob> {
  private readonly clients: Record<string, IpcClient>;

  constructor(
    @Inject(ipcClientToken('db')) db: IpcClient,
    @Inject(ipcClientToken('mailer')) mailer: IpcClient,
  ) {
    this.clients = { db, mailer };
  }

  async run(job: ServiceJob, ctx: RunContext): Promise<RunSummary> {
    const client = this.clients[serviceOfPattern(job.pattern)];
    // The loader admits only patterns of these services; a gap here is a programming error.
    if (client === undefined) throw new PermanentJobError(`no client for ${job.pattern}`);
    try {
      const answer = await client.call<unknown>(
        job.pattern,
        { ...job.payload, app: job.app },
        { timeoutMs: ctx.timeoutMs },
      );
      const text = JSON.stringify(answer ?? null);
      return {
        answer: text.length > SUMMARY_CHARS ? `${text.slice(0, SUMMARY_CHARS)}...` : JSON.parse(text),
      };
    } catch (error) {
      if (error instanceof SogomsError && PERMANENT_CODES.has(error.code))
        throw new PermanentJobError(`${error.code}: ${error.message}`);
      throw error;
    }
  }
}
