import { Injectable } from '@nestjs/common';
import { ServiceMetrics } from '@sogoms/metrics';
import { Counter, Gauge } from 'prom-client';
import { BrokerPublisher } from './broker/broker-publisher.js';

/** What a message was: a CRUD event, `notify_user`, `broadcast`, or a raw `push.publish` to a topic. */
export type PublishedKind = 'crud' | 'user' | 'broadcast' | 'topic';

/**
 * `sogoms_push_connected_clients{app}` (read from the embedded broker at each report; absent with
 * an external broker) and `sogoms_push_events_published_total{app,kind,outcome}` (outcome `ok`,
 * or `error` when the broker did not take it). A raw topic publish has no app: `app=""`.
 */
@Injectable()
export class PushMetrics {
  private readonly published: Counter<'app' | 'kind' | 'outcome'>;

  constructor(metrics: ServiceMetrics, broker: BrokerPublisher) {
    const registers = [metrics.registry];
    new Gauge({
      name: 'sogoms_push_connected_clients',
      help: 'MQTT clients connected to the embedded broker, per app.',
      labelNames: ['app'],
      registers,
      collect() {
        this.reset();
        for (const [app, count] of broker.connectedClients() ?? []) this.set({ app }, count);
      },
    });
    this.published = new Counter({
      name: 'sogoms_push_events_published_total',
      help: 'Messages handed to the MQTT broker, per app, kind and outcome.',
      labelNames: ['app', 'kind', 'outcome'],
      registers,
    });
  }

  publishedOne(app: string, kind: PublishedKind, ok: boolean): void {
    this.published.inc({ app, kind, outcome: ok ? 'ok' : 'error' });
  }
}
