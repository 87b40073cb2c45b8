import { SogomsError } from '@sogoms/common';
import type { AppConfig } from '@sogoms/config';
import { LogReporter } from '@sogoms/ipc';
import { AppPool, type PooledConnection } from './app-pool.js';
import { ConnectionBudgets } from './budget/connection-budgets.js';
import type { AppDatabase } from './engine/app-database.js';
import { SqliteDatabase } from './sqlite/sqlite-database.js';
import { DatabaseInitializer, InitScriptError } from './database-initializer.js';
import { poolSettingsFrom, samePoolSettings, type DbSettings, type PoolSettings } from './db-settings.js';

export interface PoolChanges {
  added: string[];
  removed: string[];
  recreated: string[];
}

/**
 * The app → pool map. Built from the configuration at start and re-applied on reload: new apps
 * get a pool, removed apps lose theirs, changed ones (or ones whose init failed) are rebuilt.
 * Apps whose database cannot be reached are retried in the background until they open.
 */
export class PoolRegistry {
  private pools = new Map<string, AppDatabase>();
  private retryTimer: NodeJS.Timeout | null = null;
  /** The connection budget of each MariaDB server; SQLite apps are outside it. */
  readonly budgets: ConnectionBudgets<PooledConnection>;

  constructor(
    private currentSettings: DbSettings,
    private readonly initializer: DatabaseInitializer,
    private readonly logs: LogReporter,
  ) {
    this.budgets = new ConnectionBudgets(currentSettings.budget);
  }

  get settings(): DbSettings {
    return this.currentSettings;
  }

  /** The pool of `app`; NOT_FOUND when no such app is configured. */
  get(app: string): AppDatabase {
    const pool = this.pools.get(app);
    if (!pool) throw new SogomsError('NOT_FOUND', `Unknown app '${app}'`);
    return pool;
  }

  apps(): string[] {
    return [...this.pools.keys()].sort();
  }

  /**
   * Makes the pools match `apps`. New and rebuilt pools are opened before this resolves (a
   * database that cannot be reached is left to the retry timer); old ones close gracefully.
   */
  async apply(settings: DbSettings, apps: readonly AppConfig[]): Promise<PoolChanges> {
    this.currentSettings = settings;
    this.budgets.configure(settings.budget);
    const next = new Map<string, AppDatabase>();
    const changes: PoolChanges = { added: [], removed: [], recreated: [] };
    const retired: AppDatabase[] = [];
    for (const app of apps) {
      const poolSettings = poolSettingsFrom(app, settings);
      const current = this.pools.get(app.name);
      if (current && current.state !== 'failed' && samePoolSettings(current.settings, poolSettings)) {
        next.set(app.name, current);
        continue;
      }
      if (current) {
        retired.push(current);
        changes.recreated.push(app.name);
      } else {
        changes.added.push(app.name);
      }
      next.set(app.name, this.create(poolSettings));
    }
    for (const [name, pool] of this.pools) {
      if (!next.has(name)) {
        retired.push(pool);
        changes.removed.push(name);
      }
    }
    // One assignment: calls from here on see the new pools; calls in flight finish on the old ones.
    this.pools = next;
    await Promise.all([
      ...retired.map((pool) => pool.close()),
      ...[...changes.added, ...changes.recreated].map((name) => this.tryOpen(this.get(name))),
    ]);
    this.budgets.prune();
    this.startRetrying();
    return changes;
  }

  /** Closes every pool (SIGTERM). */
  async close(): Promise<void> {
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = null;
    const pools = [...this.pools.values()];
    this.pools = new Map();
    await Promise.all(pools.map((pool) => pool.close()));
    this.budgets.dispose();
  }

  private create(settings: PoolSettings): AppDatabase {
    const onOpenFailure = (database: AppDatabase, error: unknown, first: boolean): void =>
      this.reportOpenFailure(database, error, first);
    return settings.driver === 'sqlite'
      ? new SqliteDatabase(settings, onOpenFailure)
      : new AppPool(settings, this.initializer, this.budgets.of(settings.host, settings.port), onOpenFailure);
  }

  private startRetrying(): void {
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = setInterval(() => {
      for (const pool of this.pools.values()) if (pool.state === 'down') void this.tryOpen(pool);
    }, this.currentSettings.openRetryMs);
    // The retry loop alone must not keep the process alive.
    this.retryTimer.unref();
  }

  private async tryOpen(pool: AppDatabase): Promise<void> {
    await pool.open().catch(() => undefined);
  }

  /** The first failure of a series is logged; retries that fail the same way stay quiet. */
  private reportOpenFailure(pool: AppDatabase, error: unknown, first: boolean): void {
    if (error instanceof InitScriptError) {
      const cause = pool.mapError(error.cause);
      this.logs.error(pool.app, 'db_init_failed', error.message, {
        file: error.file,
        driver_code: cause.driverCode,
        driver_message: cause.logMessage,
      });
      return;
    }
    if (!first) return;
    const mapped = pool.mapError(error);
    this.logs.error(pool.app, 'db_error', `Cannot open the database: ${mapped.error.message}`, {
      code: mapped.error.code,
      driver_code: mapped.driverCode,
      driver_message: mapped.logMessage,
    });
  }
}
