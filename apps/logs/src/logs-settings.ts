import type { LoadedConfig } from '@sogoms/config';
import { SYSTEM_APP } from './log-file-name.js';

/** Retention of `sogoms-...` files and of files of apps no longer configured. */
export const DEFAULT_RETENTION_DAYS = 14;

/** What the logs service takes from the configuration. */
export interface LogsSettings {
  /** Absolute folder of the log files. */
  logDir: string;
  /** Retention in days per configured app; apps absent here are unknown. */
  retentionDays: ReadonlyMap<string, number>;
}

export const logsSettingsFrom = (config: LoadedConfig): LogsSettings => ({
  logDir: config.global.logDir,
  retentionDays: new Map(config.apps.map((app) => [app.name, app.logs.retentionDays])),
});

/**
 * The current settings. A reload (SIGHUP) swaps the whole object in one assignment; the log
 * folder stays the one the service started with (its open files live there). Provided by value.
 */
export class LogsSettingsStore {
  private settings: LogsSettings;

  constructor(initial: LogsSettings) {
    this.settings = initial;
  }

  get logDir(): string {
    return this.settings.logDir;
  }

  isKnownApp(app: string): boolean {
    return app === SYSTEM_APP || this.settings.retentionDays.has(app);
  }

  retentionDaysOf(app: string): number {
    return this.settings.retentionDays.get(app) ?? DEFAULT_RETENTION_DAYS;
  }

  replace(next: LogsSettings): void {
    this.settings = { ...next, logDir: this.settings.logDir };
  }
}
