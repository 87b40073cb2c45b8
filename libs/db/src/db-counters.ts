/** Counters since the db service started (reloads keep them). */
export class DbCounters {
  /** Statements sent to the server, each statement of a transaction counted once. */
  queries = 0;
  /** Statements that succeeded but took at least `slowQueryMs`. */
  slowQueries = 0;
  /** Calls that failed on the database side (driver, connection or timeout errors). */
  errors = 0;
}
