import type { ServiceStatus } from '@sogoms/ipc';
import type { MetricsSnapshot } from '@sogoms/metrics';
import type { MetricsReport } from '../control-protocol.js';

/**
 * The latest metrics report of each service. A report counts only while the process that sent
 * it is the service's current one: a crashed or restarted process's numbers are dropped at the
 * next scrape (its counters start again from zero, which Prometheus reads as a reset).
 */
export class MetricsReportStore {
  private readonly latest = new Map<string, MetricsReport>();

  constructor(private readonly known: (service: string) => boolean) {}

  keep(report: MetricsReport): void {
    if (this.known(report.service)) this.latest.set(report.service, report);
  }

  current(services: readonly ServiceStatus[]): MetricsSnapshot[] {
    const out: MetricsSnapshot[] = [];
    for (const service of services) {
      const report = this.latest.get(service.name);
      if (report === undefined) continue;
      if (report.pid !== service.pid) {
        this.latest.delete(service.name);
        continue;
      }
      out.push(report.metrics);
    }
    return out;
  }
}
