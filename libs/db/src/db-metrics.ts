import { Counter, Gauge, type Registry } from 'prom-client';
import type { DbRuntime } from './db-runtime.js';

/**
 * The db module's metrics, read at each collection from its pools and counters (nothing is
 * counted twice on the hot path): connections in use and open, callers waiting, statements,
 * slow statements and errors, per app.
 */
export const registerDbMetrics = (registry: Registry, runtime: DbRuntime): void => {
  const registers = [registry];
  const usages = () =>
    runtime.registry.apps().map((app) => ({ app, usage: runtime.registry.get(app).usage() }));
  new Gauge({
    name: 'sogoms_db_pool_connections',
    help: 'Connections of the app pool by state: in_use, open (busy or idle), limit.',
    labelNames: ['app', 'state'],
    registers,
    collect() {
      this.reset();
      for (const { app, usage } of usages()) {
        if (usage === null) continue;
        this.set({ app, state: 'in_use' }, usage.inUse);
        this.set({ app, state: 'open' }, usage.open);
        this.set({ app, state: 'limit' }, usage.limit);
      }
    },
  });
  new Gauge({
    name: 'sogoms_db_pool_waiting',
    help: 'Calls waiting for a free connection of the app pool.',
    labelNames: ['app'],
    registers,
    collect() {
      this.reset();
      for (const { app, usage } of usages()) if (usage !== null) this.set({ app }, usage.waiting);
    },
  });
  const counted = (
    name: string,
    help: string,
    read: (c: { queries: number; slowQueries: number; errors: number }) => number,
  ) =>
    new Counter({
      name,
      help,
      labelNames: ['app'],
      registers,
      collect() {
        // The counters live in DbCounters; the metric mirrors them (they only grow).
        this.reset();
        for (const [app, counts] of runtime.counters.byApp()) this.inc({ app }, read(counts));
      },
    });
  counted('sogoms_db_statements_total', 'Statements run, per app.', (c) => c.queries);
  counted(
    'sogoms_db_slow_statements_total',
    'Statements that took at least db.slow_query_ms, per app.',
    (c) => c.slowQueries,
  );
  counted(
    'sogoms_db_errors_total',
    'Database failures (driver, connection, timeout), per app.',
    (c) => c.errors,
  );
};
