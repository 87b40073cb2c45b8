import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { MailerSettings, type MailApp } from '../mailer-settings.js';
import {
  MailQueueRepository,
  type ClaimedMessage,
  type DeliveryOutcome,
} from '../queue/mail-queue.repository.js';
import { retryDelayMs } from './retry-backoff.js';
import { classifySmtpFailure } from './smtp-failure.js';
import { SmtpTransports } from './smtp-transports.js';
import { WORKER_TIMING, type WorkerTiming } from './worker-timing.js';

const DAY_MS = 86_400_000;

/**
 * Delivers queued messages: claims due ones with a lease, sends them through the app's SMTP
 * pool, records each outcome. At-least-once: a message is marked sent after the server accepted
 * it, so a crash between the two sends it again once its lease runs out (docs/mailer.md).
 */
@Injectable()
export class MailWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MailWorker');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private again = false;
  private lastPurge = 0;
  /** Apps whose queue could not be reached at the last look: said once, not at every poll. */
  private readonly unreachable = new Set<string>();

  constructor(
    private readonly settings: MailerSettings,
    private readonly queue: MailQueueRepository,
    private readonly smtp: SmtpTransports,
    @Inject(WORKER_TIMING) private readonly timing: WorkerTiming,
  ) {}

  onApplicationBootstrap(): void {
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.running;
  }

  /** Looks at the queue now (after a send) instead of at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.running !== null) {
      this.again = true;
      return;
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.runOnce().finally(() => {
      this.running = null;
      if (this.stopped) return;
      const delay = this.again ? 0 : this.timing.pollMs;
      this.again = false;
      this.timer = setTimeout(() => this.wake(), delay);
    });
  }

  private async runOnce(): Promise<void> {
    const apps = this.settings.mailApps();
    this.smtp.retain(apps);
    const purge = Date.now() - this.lastPurge >= this.timing.purgeEveryMs;
    if (purge) this.lastPurge = Date.now();
    await Promise.all(
      apps.map(async (app) => {
        try {
          if (purge) await this.queue.purge(app, Date.now() - app.smtp.historyDays * DAY_MS);
          // A full batch: more may be due, go on at once.
          if (await this.deliverBatch(app)) this.again = true;
          if (this.unreachable.delete(app.name)) this.logger.log(`${app.name}: queue reachable again`);
        } catch (error) {
          // The database is down or the app's pool is gone: the messages wait, nothing is lost.
          if (!this.unreachable.has(app.name))
            this.logger.warn(
              `${app.name}: queue not reachable, retrying at each poll: ${error instanceof Error ? error.message : String(error)}`,
            );
          this.unreachable.add(app.name);
        }
      }),
    );
  }

  /**
   * Claims about what the app's SMTP pool can send at once (a claimed message must not wait
   * in nodemailer's queue past its lease), and records each outcome as soon as it is known: after
   * a crash only the sends in flight (at most `pool`) can go out twice. Answers whether it
   * claimed a full batch (more may be due).
   */
  private async deliverBatch(app: MailApp): Promise<boolean> {
    const limit = Math.min(this.timing.batch, app.smtp.pool * 2);
    const claimed = await this.queue.claim(app, limit, this.timing.leaseMs, Date.now());
    if (claimed.length === 0) return false;
    const { leaseMs } = this.timing;
    const renewal = setInterval(() => {
      // A renewal that fails leaves the lease to run out: another worker may then send again.
      this.queue.renew(app, claimed[0].leaseToken, leaseMs, Date.now()).catch(() => undefined);
    }, leaseMs / 3);
    try {
      await Promise.all(
        claimed.map(async (message) =>
          this.queue.settle(app, [await this.deliver(app, message)], Date.now()),
        ),
      );
    } finally {
      clearInterval(renewal);
    }
    return claimed.length === limit;
  }

  private async deliver(app: MailApp, claimed: ClaimedMessage): Promise<DeliveryOutcome> {
    try {
      return { id: claimed.id, kind: 'sent', providerMessageId: await this.smtp.send(app, claimed.message) };
    } catch (error) {
      const failure = classifySmtpFailure(error);
      if (failure.permanent || claimed.attempts >= claimed.maxAttempts)
        return { id: claimed.id, kind: 'dead', error: failure.message };
      const nextAttemptAt = Date.now() + retryDelayMs(this.timing.backoff, claimed.attempts);
      return { id: claimed.id, kind: 'retry', error: failure.message, nextAttemptAt };
    }
  }
}
