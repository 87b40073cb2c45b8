/** One app's share of the counters. */
export interface AppDbCounts {
  queries: number;
  slowQueries: number;
  errors: number;
}

/** Counters since the db service started (reloads keep them), in total and per app. */
export class DbCounters {
  /** Statements sent to the server, each statement of a transaction counted once. */
  queries = 0;
  /** Statements that succeeded but took at least `slowQueryMs`. */
  slowQueries = 0;
  /** Calls that failed on the database side (driver, connection or timeout errors). */
  errors = 0;
  private readonly apps = new Map<string, AppDbCounts>();

  /** The app's counts (created at its first statement). */
  of(app: string): AppDbCounts {
    let counts = this.apps.get(app);
    if (counts === undefined) {
      counts = { queries: 0, slowQueries: 0, errors: 0 };
      this.apps.set(app, counts);
    }
    return counts;
  }

  byApp(): ReadonlyMap<string, AppDbCounts> {
    return this.apps;
  }
}
