import { Histogram, type HistogramConfiguration, type LabelValues } from 'prom-client';

// prom-client's own (untyped) export shape: the registry formats `labels` and `sharedLabels`.
interface ExportedValue {
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string | number>;
  value: number;
  metricName: string;
  exemplar?: null;
}
interface ExportedHistogram {
  name: string;
  values: ExportedValue[];
}

/** The observations of one labelled series: plain numbers, so that one costs a few additions. */
export class HistogramTally {
  sum = 0;
  count = 0;
  /** Observations per bucket (not cumulative); the last one is `+Inf`. */
  private readonly perBucket: Float64Array;

  constructor(
    readonly labels: Readonly<Record<string, string | number>>,
    private readonly bounds: readonly number[],
  ) {
    this.perBucket = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let bucket = 0;
    while (bucket < bounds.length && value > bounds[bucket]) bucket++;
    this.perBucket[bucket]++;
    this.sum += value;
    this.count++;
  }

  exported(name: string): ExportedValue[] {
    const values: ExportedValue[] = [];
    let cumulative = 0;
    for (const [i, le] of this.bounds.entries()) {
      cumulative += this.perBucket[i];
      values.push({
        labels: { le },
        sharedLabels: this.labels,
        value: cumulative,
        metricName: `${name}_bucket`,
        exemplar: null,
      });
    }
    values.push(
      {
        labels: { le: '+Inf' },
        sharedLabels: this.labels,
        value: this.count,
        metricName: `${name}_bucket`,
        exemplar: null,
      },
      { labels: {}, sharedLabels: this.labels, value: this.sum, metricName: `${name}_sum` },
      { labels: {}, sharedLabels: this.labels, value: this.count, metricName: `${name}_count` },
    );
    return values;
  }
}

/**
 * A prom-client Histogram for the request path. Its labelled children (`labels(...)`) validate
 * and hash their labels again on every `observe` (prom-client 15.1: about 350 ns, against 5 ns
 * for a tally), so a hot series is kept as a `HistogramTally` the caller holds, and read only
 * when the registry is (every few seconds). Everything else is prom-client's: the registry, the
 * text and JSON forms, `observe` for series nobody tallies. (`reset` leaves the tallies: the
 * series only grow, as counters do.)
 */
export class TalliedHistogram<T extends string> extends Histogram<T> {
  private readonly tallies: HistogramTally[] = [];
  private readonly bounds: readonly number[];

  constructor(config: HistogramConfiguration<T> & { buckets: number[] }) {
    super(config);
    this.bounds = [...config.buckets].sort((a, b) => a - b);
  }

  /** The tally of one series; ask once per series and keep it (each call makes a new one). */
  tally(labels: LabelValues<T>): HistogramTally {
    const tally = new HistogramTally(labels as Record<string, string | number>, this.bounds);
    this.tallies.push(tally);
    return tally;
  }

  // Both the JSON (`get`) and the text form of the registry read through this method.
  override async getForPromString(): Promise<ExportedHistogram> {
    const exported = await super.getForPromString();
    for (const tally of this.tallies) exported.values.push(...tally.exported(exported.name));
    return exported;
  }
}

declare module 'prom-client' {
  // Present in prom-client 15 (registry.js prefers it), absent from its type declarations.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- must repeat the class's type parameter
  interface Histogram<T extends string = string> {
    getForPromString(): Promise<ExportedHistogram>;
  }
}
