import { SogomsError } from '@sogoms/common';
import { InitScriptError } from '../database-initializer.js';
import type { AppDatabaseState } from './app-database.js';

/** Bounds how long close() waits beyond the statement time limit for work in flight. */
const CLOSE_GRACE_EXTRA_MS = 1_000;

/**
 * What every engine keeps about an app database's life: its state, the work in flight (close
 * waits for it, bounded by the statement time limit, so a reload never hangs on a stuck
 * statement) and its failed opens (told to the listener with `first` only for the first of a
 * series; a failed init script stays failed until the configuration is reloaded).
 */
export class DatabaseLifecycle {
  state: AppDatabaseState = 'closed';
  private closed = false;
  private failure: InitScriptError | null = null;
  private failedAttempts = 0;
  private inFlight = 0;
  private drained: (() => void) | null = null;

  constructor(
    private readonly app: string,
    private readonly statementTimeoutMs: number,
    private readonly onOpenFailure: (error: unknown, first: boolean) => void,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Why no open may be tried now (closed, or an init that failed), or null. */
  refusal(): SogomsError | null {
    if (this.closed) return new SogomsError('UNAVAILABLE', 'Database is unavailable');
    if (this.failure !== null)
      return new SogomsError('UNAVAILABLE', `Database of app '${this.app}' could not be initialised`);
    return null;
  }

  opened(): void {
    this.state = 'open';
    this.failedAttempts = 0;
  }

  /** Records a failed open and returns what the caller gets instead of the init script's error. */
  openFailed(error: unknown): unknown {
    this.failedAttempts++;
    if (error instanceof InitScriptError) {
      this.failure = error;
      this.state = 'failed';
    } else {
      this.state = 'down';
    }
    this.onOpenFailure(error, this.failedAttempts === 1);
    return error instanceof InitScriptError
      ? new SogomsError('UNAVAILABLE', `Database of app '${this.app}' could not be initialised`)
      : error;
  }

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.drained?.();
    }
  }

  /** Takes no more work and resolves once the work in flight is done (or its time is up). */
  async closeWhenDrained(): Promise<void> {
    this.closed = true;
    if (this.inFlight === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.statementTimeoutMs + CLOSE_GRACE_EXTRA_MS);
      this.drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
