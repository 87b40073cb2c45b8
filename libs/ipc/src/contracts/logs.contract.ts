/**
 * The logs service's patterns. Both are events (fire-and-forget: `emit`, no reply), so a logs
 * outage never slows or fails a user request.
 * Files: `{log_dir}/{app}-{YYYYMMDD}-{type}.log`, one JSON object per line, `type` = error|event.
 */
export const LOGS_PATTERNS = {
  error: 'logs.log_error',
  event: 'logs.log_event',
} as const;

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
