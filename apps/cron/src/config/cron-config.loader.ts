import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError,
  INVALID,
  readConfigFile,
  type AppConfig,
  type ConfigScope,
  type OutputOf,
} from '@sogoms/config';
import { compileNamedSql, type CompiledSql } from '@sogoms/schema';
import { CALLABLE_PATTERNS } from '../jobs/service-patterns.js';
import type { AppCronConfig, CronJobBase, CronJobDef } from './cron-job.js';
import { cronFileSchema, cronJobSchema } from './cron-file.schema.js';

type FileJob = OutputOf<typeof cronJobSchema>;

/** Placeholders a named query may use: the job's app, and its fire time's day and instant. */
export const QUERY_PARAMS = ['app', 'today', 'scheduled_at'] as const;

export const CRON_FILE = 'cron.yaml';
export const namedQueryFile = (app: AppConfig, query: string): string =>
  join(app.dir, 'queries', 'named', `${query}.sql`);

const templateExists = (app: AppConfig, template: string): boolean =>
  existsSync(join(app.dir, 'emails', `${template}.yaml`));

const fingerprintOf = (job: FileJob, timezone: string, sql: string | null): string =>
  createHash('sha256')
    .update(JSON.stringify({ ...job, timezone, sql }))
    .digest('hex')
    .slice(0, 16);

/**
 * Reads `cron.yaml` of every app (absent: no jobs). Every problem of every file is reported at
 * once, with file, line and key, as one ConfigError: start-up fails, a reload keeps the live jobs.
 */
export const loadCronConfigs = (
  root: string,
  apps: readonly AppConfig[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): AppCronConfig[] => {
  const scope: ConfigScope = { root, env, problems: [] };
  const out: AppCronConfig[] = [];
  for (const app of apps) {
    const file = join(app.dir, CRON_FILE);
    if (!existsSync(file)) continue;
    const { value, report } = readConfigFile(file, cronFileSchema, scope);
    if (value === undefined) continue;
    const names = new Set<string>();
    const jobs: CronJobDef[] = [];
    const ctx = { root, dir: app.dir, env, report };
    value.jobs.forEach((raw, index) => {
      const job = cronJobSchema.read(raw, ['jobs', index], ctx);
      if (job === INVALID) return;
      const at = (key: string): (string | number)[] => ['jobs', index, key];
      if (names.has(job.name)) report(at('name'), 'job names distinct within the file', job.name);
      names.add(job.name);
      const timezone = job.timezone ?? app.timezone;
      const base: Omit<CronJobBase, 'fingerprint'> = {
        app: app.name,
        name: job.name,
        schedule: job.schedule,
        timezone,
        enabled: job.enabled,
        timeoutS: job.timeoutS,
        retry: job.retry,
        overlap: job.overlap,
        catchUp: job.catchUp,
      };
      switch (job.type) {
        case 'http':
          jobs.push({
            ...base,
            fingerprint: fingerprintOf(job, timezone, null),
            type: 'http',
            method: job.method,
            url: job.url,
            headers: job.headers,
            body: job.body,
            expectStatus: job.expectStatus,
            allowPrivate: job.allowPrivate,
            maxResponseBytes: job.maxResponseBytes,
            maxRedirects: job.maxRedirects,
          });
          break;
        case 'service':
          if (!CALLABLE_PATTERNS.includes(job.pattern)) {
            report(at('pattern'), `one of ${CALLABLE_PATTERNS.join(', ')}`, JSON.stringify(job.pattern));
            break;
          }
          jobs.push({
            ...base,
            fingerprint: fingerprintOf(job, timezone, null),
            type: 'service',
            pattern: job.pattern,
            payload: job.payload,
          });
          break;
        case 'query_email': {
          const file = namedQueryFile(app, job.query);
          let sql: CompiledSql | null = null;
          let source = '';
          if (!existsSync(file))
            report(at('query'), `a query of queries/named/ (${job.query}.sql)`, `no such file`);
          else {
            try {
              source = readFileSync(file, 'utf8');
              sql = compileNamedSql(source);
              const unknown = sql.params.filter((p) => !(QUERY_PARAMS as readonly string[]).includes(p));
              if (unknown.length > 0) {
                report(
                  at('query'),
                  `placeholders among :${QUERY_PARAMS.join(', :')}`,
                  `:${unknown.join(', :')}`,
                );
                sql = null;
              }
            } catch (error) {
              report(at('query'), 'SQL with :name placeholders', (error as Error).message);
              sql = null;
            }
          }
          if (!templateExists(app, job.template))
            report(at('template'), `a template of emails/ (${job.template}.yaml)`, 'no such file');
          if (app.smtp === null) report(at('type'), 'an app with an smtp: section in app.yaml', 'none');
          if (sql === null) break;
          jobs.push({
            ...base,
            fingerprint: fingerprintOf(job, timezone, source),
            type: 'query_email',
            query: job.query,
            sql,
            groupBy: job.groupBy,
            toField: job.toField ?? job.groupBy,
            template: job.template,
            langField: job.langField,
          });
          break;
        }
      }
    });
    out.push({ app: app.name, leaseS: value.leaseS, historyDays: value.historyDays, jobs });
  }
  if (scope.problems.length > 0) throw new ConfigError(scope.problems);
  return out;
};
