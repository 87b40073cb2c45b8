import type { StatusResult } from '@sogoms/ipc';
import { ServiceMetrics } from '@sogoms/metrics/standalone';
import { AggregatorRegistry, Gauge } from 'prom-client';
import type { MetricsReport } from '../control-protocol.js';
import { MetricsReportStore } from './metrics-report.store.js';

/**
 * Everything `GET /metrics` answers: the supervisor's own series (each service up or not, its
 * restarts; the supervisor's memory and event-loop delay as `service="sogoctl"`) and the latest
 * report of each running service, merged into one exposition. Series never collide: every one
 * carries the `service` label of the process it comes from.
 */
export class SupervisorMetrics {
  private readonly own = new ServiceMetrics('sogoctl');
  private readonly reports: MetricsReportStore;

  constructor(private readonly status: () => StatusResult) {
    this.reports = new MetricsReportStore((service) =>
      this.status().services.some((known) => known.name === service),
    );
    // `service` is this registry's default label (sogoctl); the service meant here is `name`.
    new Gauge({
      name: 'sogoms_service_up',
      help: 'Whether the supervised service runs and passes its health check (1) or not (0).',
      labelNames: ['name'],
      registers: [this.own.registry],
      collect: () => undefined,
    });
    new Gauge({
      name: 'sogoms_service_restarts',
      help: 'Starts of the supervised service after its first one (crashes and sogoms restart).',
      labelNames: ['name'],
      registers: [this.own.registry],
      collect: () => undefined,
    });
  }

  keep(report: MetricsReport): void {
    this.reports.keep(report);
  }

  /** The Prometheus text exposition. */
  async render(): Promise<{ contentType: string; body: string }> {
    const { services } = this.status();
    const up = this.own.registry.getSingleMetric('sogoms_service_up') as Gauge;
    const restarts = this.own.registry.getSingleMetric('sogoms_service_restarts') as Gauge;
    up.reset();
    restarts.reset();
    for (const service of services) {
      up.set({ name: service.name }, service.pid !== null && service.healthy ? 1 : 0);
      restarts.set({ name: service.name }, service.restarts);
    }
    const merged = AggregatorRegistry.aggregate([
      await this.own.snapshot(),
      ...this.reports.current(services),
    ]);
    return { contentType: merged.contentType, body: await merged.metrics() };
  }
}
