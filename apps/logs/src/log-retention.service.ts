import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from './clock.js';
import { LogsSettingsStore } from './logs-settings.js';
import { expiredLogFiles } from './retention-plan.js';

const DAY_MS = 86_400_000;
/** Run a little after midnight UTC, when yesterday's files are complete. */
const AFTER_MIDNIGHT_MS = 60_000;

/** Deletes expired log files (see retention-plan.ts) at start and then once a day. */
@Injectable()
export class LogRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LogRetentionService.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly settings: LogsSettingsStore,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweepSafely();
    this.scheduleNext();
  }

  onApplicationShutdown(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Deletes the expired files now and returns their names. */
  async sweep(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.settings.logDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const expired = expiredLogFiles(names, this.clock.now(), (app) => this.settings.retentionDaysOf(app));
    const deleted: string[] = [];
    for (const name of expired) {
      try {
        await unlink(join(this.settings.logDir, name));
        deleted.push(name);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return deleted;
  }

  private async sweepSafely(): Promise<void> {
    try {
      const deleted = await this.sweep();
      if (deleted.length > 0) this.logger.log(`Deleted ${deleted.length} expired log file(s)`);
    } catch (error) {
      this.logger.error(`Retention failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private scheduleNext(): void {
    const now = this.clock.now().getTime();
    const delay = Math.floor(now / DAY_MS + 1) * DAY_MS + AFTER_MIDNIGHT_MS - now;
    this.timer = setTimeout(() => {
      void this.sweepSafely().then(() => this.scheduleNext());
    }, delay);
    this.timer.unref();
  }
}
