import { Injectable } from '@nestjs/common';
import type { CronJobDef } from '../config/cron-job.js';
import { HttpJobRunner } from './http-job.runner.js';
import type { RunContext, RunSummary } from './job-runner.js';
import { QueryEmailJobRunner } from './query-email-job.runner.js';
import { ServiceJobRunner } from './service-job.runner.js';

/** The runner of each job type. */
@Injectable()
export class JobRunners {
  constructor(
    private readonly http: HttpJobRunner,
    private readonly service: ServiceJobRunner,
    private readonly queryEmail: QueryEmailJobRunner,
  ) {}

  run(job: CronJobDef, ctx: RunContext): Promise<RunSummary> {
    switch (job.type) {
      case 'http':
        return this.http.run(job, ctx);
      case 'service':
        return this.service.run(job, ctx);
      case 'query_email':
        return this.queryEmail.run(job, ctx);
    }
  }
}
