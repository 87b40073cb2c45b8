import { isRecord } from '@sogoms/common';
import {
  bool,
  describeValue,
  INVALID,
  int,
  list,
  object,
  oneOf,
  optional,
  tagged,
  text,
  timeZone,
  type Schema,
} from '@sogoms/config';
import { validateCronExpression } from 'cron';

/** A schedule `cron` accepts: 5 fields, 6 with seconds first, or an alias (`@daily`, `@hourly`...). */
const cronExpression: Schema<string> = {
  expected: 'a cron expression: 5 fields, 6 with seconds, or @yearly @monthly @weekly @daily @hourly',
  read(value, path, ctx) {
    if (typeof value !== 'string' || value.trim() === '') {
      ctx.report(path, this.expected, describeValue(value));
      return INVALID;
    }
    const checked = validateCronExpression(value);
    if (!checked.valid) {
      ctx.report(path, this.expected, `${describeValue(value)} (${checked.error?.message ?? 'invalid'})`);
      return INVALID;
    }
    return value.trim();
  },
};

/** Any YAML value (a payload or a body, sent as is). */
const anyValue = <T>(fallback: T): Schema<unknown> => ({
  expected: 'any value',
  read: (value) => (value === undefined ? fallback : value),
});

const payloadMapping: Schema<Record<string, unknown>> = {
  expected: 'a mapping (the payload sent)',
  read(value, path, ctx) {
    if (value === undefined || value === null) return {};
    if (!isRecord(value)) {
      ctx.report(path, this.expected, describeValue(value));
      return INVALID;
    }
    return value;
  },
};

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const headerMap: Schema<Record<string, string>> = {
  expected: 'a mapping of header names to strings',
  read(value, path, ctx) {
    if (value === undefined || value === null) return {};
    if (!isRecord(value)) {
      ctx.report(path, this.expected, describeValue(value));
      return INVALID;
    }
    let valid = true;
    const out: Record<string, string> = {};
    for (const [name, v] of Object.entries(value)) {
      if (
        !HEADER_NAME.test(name) ||
        (typeof v !== 'string' && typeof v !== 'number') ||
        /[\r\n]/.test(String(v))
      ) {
        ctx.report([...path, name], 'a header name mapped to a one-line string', describeValue(v));
        valid = false;
      } else out[name] = String(v);
    }
    return valid ? out : INVALID;
  },
};

const JOB_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i;
const COLUMN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const column = (fallback?: string) =>
  text({ pattern: COLUMN, format: 'a column name of the query ([A-Za-z_][A-Za-z0-9_]*)', default: fallback });

/** Keys every job has, whatever its type. */
const common = {
  name: text({ pattern: JOB_NAME, format: 'a job name ([A-Za-z0-9][A-Za-z0-9_-]*, at most 64)' }),
  schedule: cronExpression,
  timezone: optional(timeZone()),
  enabled: bool({ default: true }),
  timeout_s: int({ min: 1, max: 86_400, default: 60 }),
  retry: object({
    max_attempts: int({ min: 1, max: 20, default: 1 }),
    delay_s: int({ min: 0, max: 86_400, default: 30 }),
    backoff: oneOf<'fixed' | 'exponential'>(['fixed', 'exponential'], { default: 'fixed' }),
  }),
  overlap: oneOf<'skip' | 'wait'>(['skip', 'wait'], { default: 'skip' }),
  catch_up: oneOf<'none' | 'last'>(['none', 'last'], { default: 'none' }),
};

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;

/** One entry of `jobs:`, read on its own so that one bad job does not hide the others' problems. */
export const cronJobSchema = tagged('type', {
  http: object({
    ...common,
    method: oneOf<(typeof METHODS)[number]>(METHODS, { default: 'GET' }),
    url: text({ pattern: /^https?:\/\/[^\s]+$/i, format: 'an http:// or https:// URL' }),
    headers: headerMap,
    body: anyValue(null),
    expect_status: list(int({ min: 100, max: 599 }), { default: [] }),
    allow_private: bool({ default: false }),
    max_response_bytes: int({ min: 0, max: 16 * 1024 * 1024, default: 65_536 }),
    max_redirects: int({ min: 0, max: 10, default: 5 }),
  }),
  service: object({
    ...common,
    pattern: text({ pattern: /^[a-z]+\.[a-z_]+$/, format: 'an IPC pattern such as mailer.send' }),
    payload: payloadMapping,
  }),
  query_email: object({
    ...common,
    query: text({ pattern: JOB_NAME, format: 'a query name of queries/named/ (e.g. tasks_today)' }),
    group_by: column(),
    to_field: optional(column()),
    template: text({ pattern: /^[a-z0-9][a-z0-9_-]*$/i, format: 'a template name of emails/' }),
    lang_field: optional(column()),
  }),
});

/** `config/apps/{app}/cron.yaml`; the loader reads each job and adds the checks that need the app. */
export const cronFileSchema = object({
  lease_s: int({ min: 2, max: 3600, default: 30 }),
  history_days: int({ min: 1, max: 3650, default: 7 }),
  jobs: list(anyValue(null), { default: [] }),
});
