import { SogomsError } from '@sogoms/common';
import type { DbServerStats } from '@sogoms/ipc';
import type { BudgetSettings } from '../db-settings.js';

/** After a 1040 the budget grows back by one connection per this long (the other client may be gone). */
export const RECOVERY_STEP_MS = 10_000;
/** Idle connections unused this long are closed (each app keeps one, so a quiet app answers at once). */
export const IDLE_TIMEOUT_MS = 60_000;
const IDLE_SWEEP_MS = 10_000;
/** What a 503 tells the client to wait before trying again. */
const RETRY_AFTER_S = 1;

/** What the budget needs from one app's pool on this server. */
export interface BudgetMember {
  readonly app: string;
  /** The app's `pool_size`: it never holds more connections than this. */
  readonly ceiling: number;
  /** Connections running statements now. */
  readonly inUse: number;
  readonly idleCount: number;
  /** Starts closing one idle connection and calls `freed` once it is closed; false when none is idle. */
  evictIdle(): boolean;
  /** Closes idle connections unused for `ms`, keeping the `keep` most recently used (each calls `freed`). */
  closeIdleOlderThan(ms: number, keep: number): void;
}

/** A waiter gets a connection its own app handed over, or a slot (`null`): open a new one. */
export interface Grant<C> {
  connection: C | null;
}

/** What a released connection becomes. */
export type ReleaseOutcome = 'handed' | 'keep' | 'close';

interface Account {
  /** Connections this app holds on the server: open (in use or idle) or being opened. */
  held: number;
  leaving: boolean;
}

interface Waiter<C> {
  member: BudgetMember;
  resolve(grant: Grant<C>): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

/** The default budget: the server's limit less a fifth of it (at least 5) for other clients. */
export const derivedBudget = (serverMaxConnections: number): number =>
  Math.max(1, serverMaxConnections - Math.max(5, Math.ceil(serverMaxConnections / 5)));

export const busyError = (reason: 'timeout' | 'queue_full'): SogomsError =>
  new SogomsError(
    'UNAVAILABLE',
    reason === 'timeout'
      ? 'Database is busy: no connection became free in time'
      : 'Database is busy: too many statements are waiting',
    { retry_after_s: RETRY_AFTER_S },
  );

/**
 * The connections SOGOMS may hold on one database server, shared by every app whose database
 * is there. A slot is one physical connection (in use, idle or being opened). An app that finds
 * no slot waits in one queue per server, bounded in length and time. Fair (docs/db.md, Budget):
 * a freed slot goes to the waiting app that holds the fewest connections; an app holding two
 * more than a waiting app gives its released connection up to it instead of reusing it; and
 * each app keeps its guaranteed share (the budget split evenly over the apps) while others
 * wait, so a busy app can neither starve the others nor take a quiet app's last connection.
 */
export class ServerBudget<C> {
  private readonly accounts = new Map<BudgetMember, Account>();
  private readonly waiters: Waiter<C>[] = [];
  private held = 0;
  /** Evictions started and not yet freed: room already on its way to the waiters. */
  private evicting = 0;
  private serverMax: number | null = null;
  private shrunk: { limit: number; at: number } | null = null;
  private recoveryTimer: NodeJS.Timeout | null = null;
  private readonly sweepTimer: NodeJS.Timeout;
  private timedOut = 0;
  private queueFull = 0;
  private refusals = 0;

  constructor(
    readonly server: string,
    private settings: BudgetSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.sweepTimer = setInterval(() => this.sweepIdle(), IDLE_SWEEP_MS);
    this.sweepTimer.unref();
  }

  /** Connections SOGOMS may hold on this server right now. */
  get limit(): number {
    const target = this.target();
    if (this.shrunk === null) return target;
    const grown = this.shrunk.limit + Math.floor((this.now() - this.shrunk.at) / RECOVERY_STEP_MS);
    if (grown < target) return grown;
    this.shrunk = null;
    return target;
  }

  /** `db.acquire_timeout_ms` (kept below the IPC call timeout). */
  get acquireTimeoutMs(): number {
    return this.settings.acquireTimeoutMs;
  }

  get isEmpty(): boolean {
    return this.accounts.size === 0;
  }

  /** A reload may change `db.max_connections` and the waits; connections are left alone. */
  configure(settings: BudgetSettings): void {
    this.settings = settings;
    this.pump();
  }

  /** The server's own `max_connections`, read by the first connection made (and on every open). */
  learnServerMax(maxConnections: number): void {
    if (!Number.isSafeInteger(maxConnections) || maxConnections < 1) return;
    this.serverMax = maxConnections;
    this.pump();
  }

  join(member: BudgetMember): void {
    this.accounts.set(member, { held: 0, leaving: false });
  }

  /** The member closes: its waiters are refused; it is forgotten once its last connection is freed. */
  leave(member: BudgetMember): void {
    const account = this.accounts.get(member);
    if (!account) return;
    account.leaving = true;
    for (const waiter of this.waiters.filter((w) => w.member === member)) {
      this.removeWaiter(waiter);
      waiter.reject(new SogomsError('UNAVAILABLE', 'Database is unavailable'));
    }
    if (account.held === 0) this.accounts.delete(member);
    this.pump();
  }

  /**
   * A slot to open a connection with, at once when one is free, else after waiting (a connection
   * of the member's own handed over, or a slot freed by any app). Rejects UNAVAILABLE (with
   * `retry_after_s`) when `timeoutMs` runs out or the queue is full.
   */
  acquire(member: BudgetMember, timeoutMs = this.settings.acquireTimeoutMs): Promise<Grant<C>> {
    const account = this.accountOf(member);
    if (account.held < member.ceiling && this.held < this.limit && !this.hasEligibleWaiter()) {
      this.take(account);
      return Promise.resolve({ connection: null });
    }
    if (this.waiters.length >= this.settings.maxWaiting || timeoutMs <= 0) {
      if (timeoutMs <= 0) this.timedOut++;
      else this.queueFull++;
      return Promise.reject(busyError(timeoutMs <= 0 ? 'timeout' : 'queue_full'));
    }
    return new Promise<Grant<C>>((resolve, reject) => {
      const waiter: Waiter<C> = {
        member,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.removeWaiter(waiter);
          this.timedOut++;
          reject(busyError('timeout'));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
      this.pump();
    });
  }

  /**
   * A healthy connection of `member` is free again. `handed`: it went to a waiter of the same
   * app (who now uses it); `keep`: keep it idle; `close`: close it and call `freed`, the slot
   * goes to another app (fairness) or back to a budget that shrank.
   */
  release(member: BudgetMember, connection: C): ReleaseOutcome {
    const account = this.accountOf(member);
    if (account.leaving || this.held > this.limit) return 'close';
    const own = this.waiters.find((w) => w.member === member);
    const other = this.bestWaiter((w) => w.member !== member);
    if (other !== undefined) {
      const otherHeld = this.accountOf(other.member).held;
      // With its own waiter, an app gives up a connection only to an app holding two fewer (no
      // ping-pong between equals); without one, only what it holds beyond its guaranteed share.
      if (own === undefined ? account.held > this.guaranteedShare() : otherHeld + 2 <= account.held)
        return 'close';
    }
    if (own === undefined) return 'keep';
    this.removeWaiter(own);
    own.resolve({ connection });
    return 'handed';
  }

  /** A connection of `member` (or an open that failed) is gone: its slot is free. */
  freed(member: BudgetMember): void {
    const account = this.accounts.get(member);
    if (!account || account.held === 0) return;
    account.held--;
    this.held--;
    if (this.evicting > 0) this.evicting--;
    if (account.leaving && account.held === 0) this.accounts.delete(member);
    this.pump();
  }

  /**
   * The server refused a new connection as too many (1040): someone else holds the rest. The
   * budget shrinks to what SOGOMS holds now (the failed open's slot already freed) and grows
   * back a step at a time; the caller waits again rather than failing.
   */
  refused(): void {
    this.refusals++;
    this.shrunk = { limit: Math.max(1, Math.min(this.held, this.limit)), at: this.now() };
    if (this.recoveryTimer === null) {
      this.recoveryTimer = setInterval(() => {
        this.pump();
        if (this.shrunk === null && this.recoveryTimer !== null) {
          clearInterval(this.recoveryTimer);
          this.recoveryTimer = null;
        }
      }, RECOVERY_STEP_MS);
      this.recoveryTimer.unref();
    }
  }

  stats(): DbServerStats {
    let inUse = 0;
    let idle = 0;
    for (const member of this.accounts.keys()) {
      inUse += member.inUse;
      idle += member.idleCount;
    }
    return {
      server: this.server,
      server_max_connections: this.serverMax,
      budget: this.limit,
      held: this.held,
      in_use: inUse,
      idle,
      waiting: this.waiters.length,
      timed_out_waits: this.timedOut,
      queue_full: this.queueFull,
      refused_1040: this.refusals,
      apps: [...this.accounts.values()].filter((a) => !a.leaving).length,
    };
  }

  /** Stops the timers (the last app on this server is gone). */
  dispose(): void {
    clearInterval(this.sweepTimer);
    if (this.recoveryTimer !== null) clearInterval(this.recoveryTimer);
    this.recoveryTimer = null;
  }

  /** The budget before any release: configured, capped by the server's limit, or derived from it. */
  private target(): number {
    const configured = this.settings.maxConnections;
    // Until a first connection has read the server's limit, one connection at a time.
    if (this.serverMax === null) return configured ?? 1;
    return configured === null ? derivedBudget(this.serverMax) : Math.min(configured, this.serverMax);
  }

  /** Grants free slots to the best waiters; makes room from idle connections while the budget is full. */
  private pump(): void {
    while (this.held < this.limit) {
      const next = this.bestWaiter(() => true);
      if (next === undefined) break;
      this.removeWaiter(next);
      this.take(this.accountOf(next.member));
      next.resolve({ connection: null });
    }
    let wanting = this.eligibleWaiterCount() - this.evicting;
    while (wanting > 0 && this.held >= this.limit && this.evictOneIdle()) {
      this.evicting++;
      wanting--;
    }
  }

  /** The waiter (matching `filter`) whose app holds the fewest connections, the oldest among equals. */
  private bestWaiter(filter: (waiter: Waiter<C>) => boolean): Waiter<C> | undefined {
    let best: Waiter<C> | undefined;
    let bestHeld = Infinity;
    for (const waiter of this.waiters) {
      const account = this.accountOf(waiter.member);
      if (account.held >= waiter.member.ceiling || !filter(waiter)) continue;
      if (account.held < bestHeld) {
        best = waiter;
        bestHeld = account.held;
      }
    }
    return best;
  }

  private hasEligibleWaiter(): boolean {
    return this.bestWaiter(() => true) !== undefined;
  }

  private eligibleWaiterCount(): number {
    return this.waiters.filter((w) => this.accountOf(w.member).held < w.member.ceiling).length;
  }

  /**
   * What every app may keep while others wait: the budget split evenly over its apps (0 when
   * there are more apps than connections: then nothing idle is kept from a waiting app).
   */
  private guaranteedShare(): number {
    let apps = 0;
    for (const account of this.accounts.values()) if (!account.leaving) apps++;
    return apps === 0 ? 0 : Math.floor(this.limit / apps);
  }

  /** Closes an idle connection of the app holding the most beyond its share, to make room for a waiter. */
  private evictOneIdle(): boolean {
    const share = this.guaranteedShare();
    const candidates = [...this.accounts.entries()]
      .filter(([member, account]) => member.idleCount > 0 && (account.held > share || account.leaving))
      .sort(([, a], [, b]) => b.held - a.held);
    return candidates.some(([member]) => member.evictIdle());
  }

  private sweepIdle(): void {
    for (const member of this.accounts.keys()) member.closeIdleOlderThan(IDLE_TIMEOUT_MS, 1);
  }

  private take(account: Account): void {
    account.held++;
    this.held++;
  }

  private removeWaiter(waiter: Waiter<C>): void {
    clearTimeout(waiter.timer);
    const at = this.waiters.indexOf(waiter);
    if (at >= 0) this.waiters.splice(at, 1);
  }

  private accountOf(member: BudgetMember): Account {
    const account = this.accounts.get(member);
    if (!account) throw new SogomsError('UNAVAILABLE', 'Database is unavailable');
    return account;
  }
}
