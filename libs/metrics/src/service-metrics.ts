import { Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { registerProcessGauges } from './process-gauges.js';

/** What a service sends the supervisor: prom-client's JSON form of its registry. */
export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

/**
 * The metrics of one service process: a prom-client registry whose every series carries
 * `service="<name>"`, with the process gauges (memory, event-loop delay) already on it. Features
 * register their own metrics on `registry`.
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    registerProcessGauges(this.registry);
  }

  snapshot(): Promise<MetricsSnapshot> {
    return this.registry.getMetricsAsJSON();
  }
}
