import { blockedReason, guardedRequest, RefusedAddressError } from '@sogoms/common';
import { Injectable } from '@nestjs/common';
import type { HttpJob } from '../config/cron-job.js';
import { PermanentJobError, type JobRunner, type RunContext, type RunSummary } from './job-runner.js';

const SUMMARY_BODY_CHARS = 200;

/** `type: http`: one request under the SSRF rule; success is an expected status. */
@Injectable()
export class HttpJobRunner implements JobRunner<HttpJob> {
  async run(job: HttpJob, ctx: RunContext): Promise<RunSummary> {
    const body =
      job.body === null || job.body === undefined
        ? null
        : typeof job.body === 'string'
          ? job.body
          : JSON.stringify(job.body);
    const headers: Record<string, string> = {
      'user-agent': 'sogoms-cron',
      // Lets the receiver recognise a retry of the same fire time.
      'x-sogoms-cron-run': `${job.app}/${job.name}@${new Date(ctx.scheduledAt).toISOString()}`,
      ...(body !== null && typeof job.body !== 'string' ? { 'content-type': 'application/json' } : {}),
      ...job.headers,
    };
    let response;
    try {
      response = await guardedRequest({
        method: job.method,
        url: job.url,
        headers,
        body,
        refuse: job.allowPrivate ? () => null : blockedReason,
        maxResponseBytes: job.maxResponseBytes,
        maxRedirects: job.maxRedirects,
        signal: ctx.signal,
      });
    } catch (error) {
      if (error instanceof RefusedAddressError) throw new PermanentJobError(error.message);
      throw error;
    }
    const expected =
      job.expectStatus.length === 0
        ? response.status >= 200 && response.status < 300
        : job.expectStatus.includes(response.status);
    const summary: RunSummary = {
      status: response.status,
      body: response.body.slice(0, SUMMARY_BODY_CHARS),
      ...(response.truncated ? { truncated: true } : {}),
    };
    if (!expected) throw Object.assign(new Error(`unexpected status ${response.status}`), { summary });
    return summary;
  }
}
