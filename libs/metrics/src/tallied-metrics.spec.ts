import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { TalliedCounter } from './tallied-counter.js';
import { TalliedHistogram } from './tallied-histogram.js';

const BUCKETS = [0.001, 0.005, 0.01, 0.1];
const SAMPLES = [0.0004, 0.001, 0.0011, 0.004, 0.009, 0.05, 0.1, 0.7, 3];
const LABELS = [
  { app: 'prokov', route: '/:table' },
  { app: 'sakila', route: '/:table/:id' },
];

const plain = (registry: Registry) => ({
  histogram: new Histogram({
    name: 'h_seconds',
    help: 'h',
    labelNames: ['app', 'route'],
    buckets: BUCKETS,
    registers: [registry],
  }),
  counter: new Counter({ name: 'c_total', help: 'c', labelNames: ['app', 'route'], registers: [registry] }),
});

const tallied = (registry: Registry) => ({
  histogram: new TalliedHistogram({
    name: 'h_seconds',
    help: 'h',
    labelNames: ['app', 'route'],
    buckets: BUCKETS,
    registers: [registry],
  }),
  counter: new TalliedCounter({
    name: 'c_total',
    help: 'c',
    labelNames: ['app', 'route'],
    registers: [registry],
  }),
});

describe('TalliedHistogram and TalliedCounter', () => {
  it('export exactly what prom-client’s own metrics export for the same observations', async () => {
    const reference = new Registry();
    const subject = new Registry();
    for (const registry of [reference, subject]) registry.setDefaultLabels({ service: 'gateway' });
    const p = plain(reference);
    const t = tallied(subject);
    const tallies = LABELS.map((labels) => ({ h: t.histogram.tally(labels), c: t.counter.tally(labels) }));
    const observeAll = (round: number) => {
      for (const [i, labels] of LABELS.entries())
        for (const value of SAMPLES.slice(i + round)) {
          p.histogram.observe(labels, value);
          p.counter.inc(labels);
          tallies[i].h.observe(value);
          tallies[i].c.inc();
        }
    };
    observeAll(0);
    expect(await subject.getMetricsAsJSON()).toEqual(await reference.getMetricsAsJSON());
    expect(await subject.metrics()).toBe(await reference.metrics());
    // A second read after more observations: the counter's tallies were moved, not counted twice.
    observeAll(2);
    expect(await subject.metrics()).toBe(await reference.metrics());
    expect(await subject.getMetricsAsJSON()).toEqual(await reference.getMetricsAsJSON());
    expect(await subject.metrics()).toContain('c_total{app="prokov",route="/:table",service="gateway"} 16');
  });

  it('puts a value on a bucket bound in that bucket, and one above every bound in +Inf only', async () => {
    const registry = new Registry();
    const histogram = new TalliedHistogram({
      name: 'b',
      help: 'b',
      labelNames: ['k'],
      buckets: [1, 2],
      registers: [registry],
    });
    const tally = histogram.tally({ k: 'x' });
    for (const value of [1, 2, 2.5]) tally.observe(value);
    const text = await registry.metrics();
    expect(text).toContain('b_bucket{le="1",k="x"} 1');
    expect(text).toContain('b_bucket{le="2",k="x"} 2');
    expect(text).toContain('b_bucket{le="+Inf",k="x"} 3');
    expect(text).toContain('b_sum{k="x"} 5.5');
  });
});
