import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { GlobalConfig } from '@sogoms/config';
import { IPC_CALL_OBSERVER } from '@sogoms/ipc';
import { IpcCallMetrics } from './ipc-call-metrics.js';
import { MetricsReporter } from './metrics-reporter.js';
import { ServiceMetrics } from './service-metrics.js';

/**
 * A service's metrics (global): the registry features add to, the IPC call counters the IPC
 * clients report to, and the reporter that sends them to the supervisor. With `metrics.enabled:
 * false` the registry still exists (features need not branch) but nothing counts IPC calls and
 * nothing is sent.
 */
@Global()
@Module({})
export class MetricsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(MetricsReporter) private readonly reporter: MetricsReporter | null) {}

  static forService(service: string, global: GlobalConfig): DynamicModule {
    const enabled = global.metrics.enabled;
    return {
      module: MetricsModule,
      providers: [
        { provide: ServiceMetrics, useFactory: (): ServiceMetrics => new ServiceMetrics(service) },
        {
          provide: IPC_CALL_OBSERVER,
          inject: [ServiceMetrics],
          useFactory: (metrics: ServiceMetrics): IpcCallMetrics | null =>
            enabled ? new IpcCallMetrics(metrics) : null,
        },
        {
          provide: MetricsReporter,
          inject: [ServiceMetrics],
          useFactory: (metrics: ServiceMetrics): MetricsReporter | null =>
            enabled
              ? new MetricsReporter(metrics, {
                  runDir: global.runDir,
                  intervalMs: global.metrics.reportIntervalMs,
                })
              : null,
        },
      ],
      exports: [ServiceMetrics, IPC_CALL_OBSERVER],
    };
  }

  onApplicationBootstrap(): void {
    this.reporter?.start();
  }

  onApplicationShutdown(): void {
    this.reporter?.stop();
  }
}
