/**
 * SQLite has one writer: a transaction holds the writer connection from `BEGIN IMMEDIATE` to
 * `COMMIT` across the awaits between its statements, and every other write waits its turn here
 * (first come, first served) instead of running inside someone else's transaction.
 */
export class WriterLock {
  private tail: Promise<void> = Promise.resolve();
  private held = 0;

  get busy(): boolean {
    return this.held > 0;
  }

  /** Resolves with the release function once the lock is ours. */
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const before = this.tail;
    this.tail = before.then(() => mine);
    this.held++;
    await before;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held--;
      release();
    };
  }
}
