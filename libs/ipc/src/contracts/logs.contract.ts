/**
 * The logs service's patterns. Writing is by events (fire-and-forget: `emit`, no reply), so a
 * logs outage never slows or fails a user request; `query` (request/response) reads them back.
 * Files: `{log_dir}/{app}-{YYYYMMDD}-{type}.log`, one JSON object per line, `type` = error|event.
 */
export const LOGS_PATTERNS = {
  error: 'logs.log_error',
  event: 'logs.log_event',
  /** LogQuery → LogPage: one app's entries of one day, newest first. */
  query: 'logs.query',
} as const;

export type LogTypeFilter = 'error' | 'event' | 'all';

/** `logs.query`: one app (or `sogoms`), one UTC day, optionally one kind and a text. */
export interface LogQuery {
  app: string;
  /** `YYYY-MM-DD` (UTC); default today. */
  day?: string;
  /** Default `all` (both files of the day, merged by time). */
  type?: LogTypeFilter;
  /** Only entries of this kind (e.g. `admin_audit`). */
  kind?: string;
  /** Case-insensitive, matched against the whole line (message, kind, data). */
  text?: string;
  /** Entries skipped from the newest; default 0. */
  offset?: number;
  /** Default 50, at most 500. */
  limit?: number;
}

/** A stored entry as read back: the line plus which file it came from. */
export interface StoredLogEntry {
  at: string;
  app: string;
  kind: string;
  source: string;
  message: string;
  data?: Record<string, unknown>;
  type: 'error' | 'event';
}

export interface LogPage {
  app: string;
  day: string;
  type: LogTypeFilter;
  entries: StoredLogEntry[];
  /** Entries matching the filters that day (all pages). */
  total: number;
  offset: number;
  limit: number;
  /** Days (`YYYY-MM-DD`, newest first) that have a file of this app. */
  days: string[];
}

export interface LogEntry {
  /** App name, or `sogoms` for entries that belong to no app. */
  app: string;
  /** Short machine-readable kind, e.g. `login_failed`, `http_5xx`, `slow_query`. */
  kind: string;
  message: string;
  /** Service that reported it (gateway, db, ...). */
  source: string;
  /** ISO 8601; the logs service fills it in when absent. */
  at?: string;
  /** Anything else worth keeping (no secrets, no passwords). */
  data?: Record<string, unknown>;
}
