import { LOGS_PATTERNS, type LogEntry } from './contracts/logs.contract.js';
import type { IpcClient } from './ipc-client.js';

/** The part of IpcClient a reporter needs (a test may pass a fake). */
export type LogEventEmitter = Pick<IpcClient, 'emit'>;

/**
 * Sends error and event entries to the logs service, fire-and-forget: it never awaits, never
 * throws, and an entry is dropped (counted by the IpcClient) when the logs service is down, so
 * logging can never slow or fail a request.
 */
export class LogReporter {
  constructor(
    private readonly ipc: LogEventEmitter,
    /** Who reports: gateway, db, ... */
    readonly source: string,
  ) {}

  /** An error of `app` (`sogoms` when it belongs to no app), e.g. kind `http_5xx`. */
  error(app: string, kind: string, message: string, data?: Record<string, unknown>): void {
    this.send(LOGS_PATTERNS.error, app, kind, message, data);
  }

  /** A notable event of `app`, e.g. kind `login_failed`, `slow_query`. */
  event(app: string, kind: string, message: string, data?: Record<string, unknown>): void {
    this.send(LOGS_PATTERNS.event, app, kind, message, data);
  }

  private send(
    pattern: string,
    app: string,
    kind: string,
    message: string,
    data?: Record<string, unknown>,
  ): void {
    const entry: LogEntry = { app, kind, message, source: this.source, at: new Date().toISOString() };
    if (data !== undefined) entry.data = data;
    try {
      this.ipc.emit(pattern, entry);
    } catch {
      // Deliberately swallowed: a failure to log must never become the caller's failure.
    }
  }
}
