import { Injectable } from '@nestjs/common';
import type { MailState } from '@sogoms/ipc';
import { ServiceMetrics } from '@sogoms/metrics';
import { Gauge } from 'prom-client';
import { MailerSettings } from '../mailer-settings.js';
import { MailQueueRepository } from './mail-queue.repository.js';

const STATES: readonly MailState[] = ['queued', 'sending', 'sent', 'failed', 'dead'];

/**
 * `sogoms_mail_queue_messages{app,state}`: the queue's depth, counted in each mail app's
 * database when the metrics are collected (one GROUP BY per app and report). An app whose
 * database does not answer is left out of that report rather than shown as empty.
 */
@Injectable()
export class MailQueueMetrics {
  constructor(metrics: ServiceMetrics, settings: MailerSettings, queue: MailQueueRepository) {
    new Gauge({
      name: 'sogoms_mail_queue_messages',
      help: 'Messages in the mail queue, by app and state (sent and dead rows stay smtp.history_days).',
      labelNames: ['app', 'state'],
      registers: [metrics.registry],
      async collect() {
        this.reset();
        const counted = await Promise.all(
          settings.mailApps().map(async (app) => ({
            app: app.name,
            counts: await queue.countByState(app).catch(() => null),
          })),
        );
        for (const { app, counts } of counted) {
          if (counts === null) continue;
          for (const state of STATES) this.set({ app, state }, counts.get(state) ?? 0);
        }
      },
    });
  }
}
