import type { DbServerStats } from '@sogoms/ipc';
import type { BudgetSettings } from '../db-settings.js';
import { ServerBudget } from './server-budget.js';

/**
 * One connection budget per database server (host:port: MariaDB's `max_connections` is the
 * server's, whatever user or database a connection is for), made when its first app joins and
 * dropped when its last one leaves. A reload re-configures them; no connection is touched.
 */
export class ConnectionBudgets<C> {
  private readonly budgets = new Map<string, ServerBudget<C>>();

  constructor(
    private settings: BudgetSettings,
    private readonly now: () => number = Date.now,
  ) {}

  static serverOf(host: string, port: number): string {
    return `${host}:${port}`;
  }

  /** The budget of the server at `host:port`. */
  of(host: string, port: number): ServerBudget<C> {
    const server = ConnectionBudgets.serverOf(host, port);
    let budget = this.budgets.get(server);
    if (budget === undefined) {
      budget = new ServerBudget<C>(server, this.settings, this.now);
      this.budgets.set(server, budget);
    }
    return budget;
  }

  configure(settings: BudgetSettings): void {
    this.settings = settings;
    for (const budget of this.budgets.values()) budget.configure(settings);
  }

  /** Forgets budgets whose apps are all gone (after a reload removed them). */
  prune(): void {
    for (const [server, budget] of this.budgets) {
      if (!budget.isEmpty) continue;
      budget.dispose();
      this.budgets.delete(server);
    }
  }

  stats(): DbServerStats[] {
    return [...this.budgets.values()]
      .map((budget) => budget.stats())
      .sort((a, b) => a.server.localeCompare(b.server));
  }

  dispose(): void {
    for (const budget of this.budgets.values()) budget.dispose();
    this.budgets.clear();
  }
}
