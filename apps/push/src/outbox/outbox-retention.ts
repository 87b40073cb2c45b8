import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PushSettings } from '../push-settings.js';
import { OutboxRepository } from './outbox.repository.js';

/** How often events older than `push.retention_hours` are deleted. */
const PURGE_EVERY_MS = 10 * 60_000;
/** The first purge waits for the db service to settle after a start. */
const FIRST_PURGE_AFTER_MS = 5_000;

/** Keeps each app's outbox to `push.retention_hours` (default 24). */
@Injectable()
export class OutboxRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRetention');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly settings: PushSettings,
    private readonly outbox: OutboxRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(FIRST_PURGE_AFTER_MS);
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }

  /** Purges every push app once; an app whose database does not answer is tried again next time. */
  async purgeNow(now = Date.now()): Promise<void> {
    const before = now - this.settings.push.retentionHours * 3_600_000;
    for (const app of this.settings.pushApps()) {
      try {
        const purged = await this.outbox.purge(app, before);
        if (purged > 0) this.logger.log(`${app.name}: purged ${purged} events older than the retention`);
      } catch (error) {
        this.logger.warn(
          `${app.name}: purge failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      void this.purgeNow().finally(() => this.schedule(PURGE_EVERY_MS));
    }, delay);
    this.timer.unref();
  }
}
