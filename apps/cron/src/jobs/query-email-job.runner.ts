import { Inject, Injectable } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import { IpcClient, ipcClientToken, MAILER_PATTERNS, type MailQueued, type Row } from '@sogoms/ipc';
import { bindNamedParams } from '@sogoms/schema';
import type { QueryEmailJob } from '../config/cron-job.js';
import { CronDatabase } from '../runs/cron-database.js';
import { dayInZone } from '../schedule/fire-times.js';
import { PermanentJobError, type JobRunner, type RunContext, type RunSummary } from './job-runner.js';

/** Rows of one mail at most: a digest, not an export. */
const MAX_ROWS_PER_MAIL = 500;

/** Dates and buffers as a template can print them. */
const plain = (row: Row): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));

/**
 * `type: query_email`: the app's named query, its rows grouped by one column, one templated
 * mail per group through the mailer. Each mail's idempotency key is the fire time and the group,
 * so a retried or taken-over run queues no mail twice.
 */
@Injectable()
export class QueryEmailJobRunner implements JobRunner<QueryEmailJob> {
  constructor(
    private readonly db: CronDatabase,
    @Inject(ipcClientToken('mailer')) private readonly mailer: IpcClient,
  ) {}

  async run(job: QueryEmailJob, ctx: RunContext): Promise<RunSummary> {
    const params = bindNamedParams(job.sql, {
      app: job.app,
      today: dayInZone(ctx.scheduledAt, job.timezone),
      scheduled_at: new Date(ctx.scheduledAt).toISOString(),
    });
    const rows = await this.db.query(job.app, job.sql.sql, params);
    const groups = new Map<string, Row[]>();
    for (const row of rows) {
      if (!(job.groupBy in row))
        throw new PermanentJobError(`the query's rows have no column ${job.groupBy} (group_by)`);
      const key = String(row[job.groupBy]);
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    let queued = 0;
    let created = 0;
    for (const [key, group] of groups) {
      if (ctx.signal.aborted) throw new SogomsError('TIMEOUT', 'timed out while queueing the mails');
      const first = group[0];
      const to = first[job.toField];
      if (typeof to !== 'string' || to === '') continue;
      const lang = job.langField === null ? undefined : first[job.langField];
      const shown = group.slice(0, MAX_ROWS_PER_MAIL).map(plain);
      try {
        const answer = await this.mailer.call<MailQueued>(MAILER_PATTERNS.sendTemplate, {
          app: job.app,
          template: job.template,
          to,
          vars: { ...plain(first), group: key, rows: shown, count: group.length },
          ...(typeof lang === 'string' && lang !== '' ? { lang } : {}),
          idempotency_key: `cron:${job.name}:${ctx.scheduledAt}:${key}`.slice(0, 191),
        });
        queued++;
        if (answer.created) created++;
      } catch (error) {
        if (
          error instanceof SogomsError &&
          (error.code === 'VALIDATION_FAILED' || error.code === 'NOT_FOUND')
        )
          throw new PermanentJobError(`${error.code}: ${error.message}`);
        throw error;
      }
    }
    return { rows: rows.length, groups: groups.size, mails: queued, new_mails: created };
  }
}
