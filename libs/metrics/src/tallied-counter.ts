import { Counter, type CounterConfiguration, type LabelValues } from 'prom-client';

/** The count of one labelled series: a plain number the caller increments. */
export class CounterTally {
  value = 0;

  constructor(readonly labels: LabelValues<string>) {}

  inc(): void {
    this.value++;
  }
}

/**
 * A prom-client Counter for the request path: `labels(...).inc()` hashes the labels again on
 * every call (prom-client 15.1), so a hot series is a `CounterTally` the caller holds, mirrored
 * into the counter when the registry is read (as the db metrics mirror DbCounters).
 */
export class TalliedCounter<T extends string> extends Counter<T> {
  private readonly tallies: CounterTally[] = [];

  constructor(config: Omit<CounterConfiguration<T>, 'collect'>) {
    super({
      ...config,
      collect(this: Counter<T>): void {
        for (const tally of (this as TalliedCounter<T>).tallies) {
          this.inc(tally.labels as LabelValues<T>, tally.value);
          tally.value = 0;
        }
      },
    });
  }

  /** The tally of one series; ask once per series and keep it (each call makes a new one). */
  tally(labels: LabelValues<T>): CounterTally {
    const tally = new CounterTally(labels);
    this.tallies.push(tally);
    return tally;
  }
}
