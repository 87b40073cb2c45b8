import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';

const NS_PER_S = 1e9;

/**
 * Memory and event-loop delay of this process. The delay histogram is read and reset at each
 * collection: its quantiles describe the time since the last report (the report interval).
 */
export const registerProcessGauges = (registry: Registry): void => {
  new Gauge({
    name: 'sogoms_process_resident_memory_bytes',
    help: 'Resident set size of the service process.',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  new Gauge({
    name: 'sogoms_process_heap_used_bytes',
    help: 'V8 heap in use by the service process.',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage().heapUsed);
    },
  });
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  new Gauge({
    name: 'sogoms_event_loop_delay_seconds',
    help: 'Event-loop delay of the service process since the previous report, by quantile (1 = max).',
    labelNames: ['quantile'],
    registers: [registry],
    collect() {
      // No sample yet (a report right after start): say nothing rather than NaN.
      if (delay.count === 0) return;
      this.set({ quantile: '0.5' }, delay.percentile(50) / NS_PER_S);
      this.set({ quantile: '0.99' }, delay.percentile(99) / NS_PER_S);
      this.set({ quantile: '1' }, delay.max / NS_PER_S);
      delay.reset();
    },
  });
};
