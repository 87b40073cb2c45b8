import type { IpcCallObserver } from '@sogoms/ipc';
import { Counter } from 'prom-client';
import type { ServiceMetrics } from './service-metrics.js';
import { TalliedCounter, type CounterTally } from './tallied-counter.js';
import { TalliedHistogram, type HistogramTally } from './tallied-histogram.js';

interface PatternSeries {
  ok: CounterTally;
  error: CounterTally;
  duration: HistogramTally;
}

/**
 * IPC requests this process makes, per target service and message pattern (constants in the
 * code, so the label values are bounded), with failures by stable error code.
 */
export class IpcCallMetrics implements IpcCallObserver {
  private readonly calls: TalliedCounter<'target' | 'pattern' | 'outcome'>;
  private readonly errors: Counter<'target' | 'pattern' | 'code'>;
  private readonly duration: TalliedHistogram<'target' | 'pattern'>;
  // One tally per (target, pattern), found by a Map lookup per call (prom-client hashes per call).
  private readonly series = new Map<string, PatternSeries>();

  constructor(metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    this.calls = new TalliedCounter({
      name: 'sogoms_ipc_calls_total',
      help: 'IPC requests made by this service, by target service, pattern and outcome (ok or error).',
      labelNames: ['target', 'pattern', 'outcome'],
      registers,
    });
    this.errors = new Counter({
      name: 'sogoms_ipc_errors_total',
      help: 'Failed IPC requests made by this service, by target service, pattern and error code.',
      labelNames: ['target', 'pattern', 'code'],
      registers,
    });
    this.duration = new TalliedHistogram({
      name: 'sogoms_ipc_call_duration_seconds',
      help: 'Round trip of IPC requests made by this service, by target service and pattern.',
      labelNames: ['target', 'pattern'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    });
  }

  called(target: string, pattern: string, seconds: number, errorCode: string | null): void {
    const series = this.seriesOf(target, pattern);
    series.duration.observe(seconds);
    if (errorCode === null) {
      series.ok.inc();
      return;
    }
    series.error.inc();
    this.errors.inc({ target, pattern, code: errorCode });
  }

  private seriesOf(target: string, pattern: string): PatternSeries {
    const key = `${target}\u0000${pattern}`;
    let series = this.series.get(key);
    if (series === undefined) {
      series = {
        ok: this.calls.tally({ target, pattern, outcome: 'ok' }),
        error: this.calls.tally({ target, pattern, outcome: 'error' }),
        duration: this.duration.tally({ target, pattern }),
      };
      this.series.set(key, series);
    }
    return series;
  }
}
