/** Collects latencies (µs) and answers percentiles; keeps at most `capacity` samples. */
export class LatencyRecorder {
  private samples: Float64Array;
  private count = 0;

  constructor(private readonly capacity = 4_000_000) {
    this.samples = new Float64Array(1024);
  }

  record(us: number): void {
    if (this.count === this.capacity) return;
    if (this.count === this.samples.length) {
      const grown = new Float64Array(Math.min(this.samples.length * 2, this.capacity));
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.count++] = us;
  }

  /** p in 0..100, nearest rank; NaN with no samples. */
  percentiles(...ps: number[]): number[] {
    const sorted = this.samples.slice(0, this.count).sort();
    return ps.map((p) =>
      sorted.length === 0
        ? NaN
        : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))],
    );
  }
}
