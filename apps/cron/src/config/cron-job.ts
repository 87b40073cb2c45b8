import type { CompiledSql } from '@sogoms/schema';

/** `retry:` of a job: attempts of one fire time and the wait between them. */
export interface RetryPolicy {
  /** 1: no retry. */
  maxAttempts: number;
  delayS: number;
  backoff: 'fixed' | 'exponential';
}

/** What every job has, whatever its type (cron.yaml, docs/cron.md). */
export interface CronJobBase {
  app: string;
  name: string;
  /** 5 fields, 6 with seconds, or an alias such as `@daily`. */
  schedule: string;
  /** IANA zone the schedule is read in. */
  timezone: string;
  enabled: boolean;
  timeoutS: number;
  retry: RetryPolicy;
  /** A run still going when the next fire time comes: skip that fire time, or wait for the run. */
  overlap: 'skip' | 'wait';
  /** Fire times missed while no cron process was up: forget them, or run the latest once. */
  catchUp: 'none' | 'last';
  /** Identifies the definition: a reload reschedules a job only when it changed. */
  fingerprint: string;
}

export interface HttpJob extends CronJobBase {
  type: 'http';
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Sent as JSON when not a string; null: no body. */
  body: unknown;
  /** Statuses that count as success; empty: any 2xx. */
  expectStatus: number[];
  /** Loopback, private, link-local and metadata addresses are refused unless true. */
  allowPrivate: boolean;
  /** Bytes of the response read at most; the rest is dropped. */
  maxResponseBytes: number;
  /** Redirects followed at most (each one checked again). */
  maxRedirects: number;
}

export interface ServiceJob extends CronJobBase {
  type: 'service';
  /** An IPC pattern of another SOGOMS service, e.g. `mailer.send`. */
  pattern: string;
  /** Sent as is, with `app` set to the job's app. */
  payload: Record<string, unknown>;
}

export interface QueryEmailJob extends CronJobBase {
  type: 'query_email';
  /** `queries/named/{query}.sql`, compiled. */
  query: string;
  sql: CompiledSql;
  /** Rows with the same value of this column make one mail. */
  groupBy: string;
  /** The column holding the recipient's address (default: group_by). */
  toField: string;
  /** `emails/{template}.yaml` of the app. */
  template: string;
  /** A column holding the recipient's language (picks `{template}.{lang}.yaml`), or null. */
  langField: string | null;
}

export type CronJobDef = HttpJob | ServiceJob | QueryEmailJob;

/** An app's cron.yaml as a whole. */
export interface AppCronConfig {
  app: string;
  /** How long a claim stays valid without renewal; a dead process's runs come back after it. */
  leaseS: number;
  /** Runs are kept this many days, then purged. */
  historyDays: number;
  jobs: CronJobDef[];
}

/** The key of a job across apps. */
export const jobKey = (app: string, job: string): string => `${app}/${job}`;
