import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CronSettings } from '../cron-settings.js';
import { CronRunsRepository } from './cron-runs.repository.js';
import { RunCoordinator } from './run-coordinator.js';

const DAY_MS = 86_400_000;
/** Purged once a day, and once at start. */
const PURGE_EVERY_MS = DAY_MS;

/**
 * The background work of each app: every half lease, abandoned runs are recovered (another
 * process died holding them); once a day, runs older than `history_days` are deleted.
 */
@Injectable()
export class RunMaintenance implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('cron');
  private recoverTimer: NodeJS.Timeout | null = null;
  private purgeTimer: NodeJS.Timeout | null = null;
  private readonly nextRecover = new Map<string, number>();
  private readonly quiet = new Set<string>();

  constructor(
    private readonly settings: CronSettings,
    private readonly repo: CronRunsRepository,
    private readonly coordinator: RunCoordinator,
  ) {}

  onApplicationBootstrap(): void {
    this.recoverTimer = setInterval(() => void this.recoverDue(), 500);
    this.recoverTimer.unref();
    this.purgeTimer = setInterval(() => void this.purge(), PURGE_EVERY_MS);
    this.purgeTimer.unref();
    void this.purge();
  }

  onApplicationShutdown(): void {
    if (this.recoverTimer !== null) clearInterval(this.recoverTimer);
    if (this.purgeTimer !== null) clearInterval(this.purgeTimer);
  }

  private async recoverDue(): Promise<void> {
    const now = Date.now();
    for (const cron of this.settings.cronApps()) {
      if (cron.jobs.length === 0 || (this.nextRecover.get(cron.app) ?? 0) > now) continue;
      this.nextRecover.set(cron.app, now + Math.max(1000, (cron.leaseS * 1000) / 2));
      try {
        await this.coordinator.recover(cron.app);
        this.quiet.delete(cron.app);
      } catch (error) {
        // Said once per outage, not at every sweep.
        if (!this.quiet.has(cron.app))
          this.logger.error(
            `${cron.app}: cannot check for abandoned runs: ${error instanceof Error ? error.message : String(error)}`,
          );
        this.quiet.add(cron.app);
      }
    }
  }

  private async purge(): Promise<void> {
    for (const cron of this.settings.cronApps()) {
      try {
        const deleted = await this.repo.purge(cron.app, Date.now() - cron.historyDays * DAY_MS);
        if (deleted > 0)
          this.logger.log(`${cron.app}: purged ${deleted} runs older than ${cron.historyDays} days`);
      } catch (error) {
        this.logger.error(
          `${cron.app}: purge failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}
