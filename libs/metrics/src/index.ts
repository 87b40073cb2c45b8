export { ServiceMetrics, type MetricsSnapshot } from './service-metrics.js';
export { MetricsReporter, type MetricsReporterOptions } from './metrics-reporter.js';
export { IpcCallMetrics } from './ipc-call-metrics.js';
export { MetricsModule } from './metrics.module.js';
export { TalliedCounter, type CounterTally } from './tallied-counter.js';
export { TalliedHistogram, type HistogramTally } from './tallied-histogram.js';
