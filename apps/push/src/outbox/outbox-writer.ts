import { Injectable } from '@nestjs/common';
import type { PushApp } from '../push-settings.js';
import { OutboxRepository, type OutboxEntry } from './outbox.repository.js';

/** Events recorded per transaction: keeps one IPC frame and one lock short. */
const BATCH = 200;
/**
 * How long the first event of a batch waits for others. Under load this turns one commit per
 * write into one per 20 ms (the app's writes and the outbox share the database's log flushes);
 * live delivery waits that long at most.
 */
const LINGER_MS = 20;

interface Pending {
  entry: OutboxEntry;
  resolve: (seq: number) => void;
  reject: (error: unknown) => void;
}

/**
 * Gives events their sequence numbers by recording them, one transaction at a time per app
 * (events that arrive within LINGER_MS, or while one is written, are batched). This process is the only writer of the outbox, so
 * sequence numbers are committed in order: a client that read up to N never later meets an
 * event below N (two writers could commit 7 before 6).
 */
@Injectable()
export class OutboxWriter {
  private readonly queues = new Map<string, Pending[]>();
  private readonly running = new Set<string>();

  constructor(private readonly outbox: OutboxRepository) {}

  record(app: PushApp, entry: OutboxEntry): Promise<number> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(app.name);
      if (queue === undefined) this.queues.set(app.name, (queue = []));
      queue.push({ entry, resolve, reject });
      if (!this.running.has(app.name)) {
        this.running.add(app.name);
        setTimeout(() => void this.drain(app), LINGER_MS);
      }
    });
  }

  private async drain(app: PushApp): Promise<void> {
    try {
      const queue = this.queues.get(app.name) ?? [];
      while (queue.length > 0) {
        const batch = queue.splice(0, BATCH);
        try {
          const seqs = await this.outbox.append(
            app,
            batch.map((p) => p.entry),
            Date.now(),
          );
          batch.forEach((pending, i) => pending.resolve(seqs[i]));
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      this.running.delete(app.name);
    }
  }
}
