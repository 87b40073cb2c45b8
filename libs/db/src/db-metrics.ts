import { Counter, Gauge, type Registry } from 'prom-client';
import type { DbServerStats } from '@sogoms/ipc';
import type { DbRuntime } from './db-runtime.js';

/**
 * The db module's metrics, read at each collection from its pools and counters (nothing is
 * counted twice on the hot path): connections in use and open, callers waiting, statements,
 * slow statements and errors, per app.
 */
/** What the metrics read: the pools (and their budgets) and the counters. */
type MeteredRuntime = Pick<DbRuntime, 'registry' | 'counters'>;

export const registerDbMetrics = (registry: Registry, runtime: MeteredRuntime): void => {
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
  registerBudgetMetrics(registers, runtime);
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

/**
 * The connection budget of each MariaDB server (`db.stats` → `servers`), labelled `server`
 * (`host:port`, from the configuration): connections by state, statements waiting for one, and
 * the waits that ran out, the queue refusals and the 1040s, which only grow.
 */
const registerBudgetMetrics = (registers: Registry[], runtime: MeteredRuntime): void => {
  const servers = () => runtime.registry.budgets.stats();
  new Gauge({
    name: 'sogoms_db_budget_connections',
    help: 'Connections of the budget of one server by state: budget (what SOGOMS may hold now), held, in_use, idle.',
    labelNames: ['server', 'state'],
    registers,
    collect() {
      this.reset();
      for (const s of servers()) {
        this.set({ server: s.server, state: 'budget' }, s.budget);
        this.set({ server: s.server, state: 'held' }, s.held);
        this.set({ server: s.server, state: 'in_use' }, s.in_use);
        this.set({ server: s.server, state: 'idle' }, s.idle);
      }
    },
  });
  new Gauge({
    name: 'sogoms_db_budget_waiting',
    help: 'Statements waiting for a connection of the server budget now.',
    labelNames: ['server'],
    registers,
    collect() {
      this.reset();
      for (const s of servers()) this.set({ server: s.server }, s.waiting);
    },
  });
  const counted = (name: string, help: string, read: (s: DbServerStats) => number) =>
    new Counter({
      name,
      help,
      labelNames: ['server'],
      registers,
      collect() {
        this.reset();
        for (const s of servers()) this.inc({ server: s.server }, read(s));
      },
    });
  counted(
    'sogoms_db_budget_wait_timeouts_total',
    'Waits for a connection that ran out (each a 503 with Retry-After).',
    (s) => s.timed_out_waits,
  );
  counted(
    'sogoms_db_budget_queue_full_total',
    'Statements refused at once because the wait queue was full.',
    (s) => s.queue_full,
  );
  counted(
    'sogoms_db_budget_refused_1040_total',
    'New connections the server refused as too many (1040); each shrank the budget.',
    (s) => s.refused_1040,
  );
};
