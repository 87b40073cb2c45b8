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
export interface BudgetMember<C = unknown> {
  readonly app: string;
  /**
   * Who the app's connections log in as (user and password). Apps of the same login may pass a
   * connection to each other (the receiver switches its database with `USE`) instead of closing
   * it and opening a new one.
   */
  readonly login: string;
  /** The app's `pool_size`: it never holds more connections than this. */
  readonly ceiling: number;
  /** Connections running statements now. */
  readonly inUse: number;
  readonly idleCount: number;
  /** Starts closing one idle connection and calls `freed` once it is closed; false when none is idle. */
  evictIdle(): boolean;
  /** Removes its least recently used idle connection and gives it up (to an app of the same login). */
  takeIdle(): C | undefined;
  /** Closes idle connections unused for `ms`, keeping the `keep` most recently used (each calls `freed`). */
  closeIdleOlderThan(ms: number, keep: number): void;
}

/**
 * A waiter gets a connection (its own app's, or one of an app of the same login: switch its
 * database before use), or a slot (`null`): open a new one.
 */
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
  member: BudgetMember<C>;
  /**
   * Arrival order (the longest wait goes first among equals): a counter, not a millisecond
   * clock, whose equal stamps for waiters queued in the same millisecond made the turn random.
   */
  ticket: number;
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
 * a freed slot goes to the waiting app that holds the fewest connections; an app holding more
 * than a waiting app gives its released connection up to it instead of reusing it (see
 * `yields`); each app keeps its guaranteed share (the budget split evenly over the apps) while
 * others wait, so a busy app can neither starve the others nor take a quiet app's last
 * connection. Between apps of the same login a connection changes hands without reconnecting.
 */
export class ServerBudget<C> {
  private readonly accounts = new Map<BudgetMember<C>, Account>();
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
  private nextTicket = 0;

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

  join(member: BudgetMember<C>): void {
    this.accounts.set(member, { held: 0, leaving: false });
  }

  /** Statements of one member waiting for a connection now (the metrics' pool gauge). */
  waitingOf(member: BudgetMember<C>): number {
    return this.waiters.reduce((n, w) => (w.member === member ? n + 1 : n), 0);
  }

  /** The member closes: its waiters are refused; it is forgotten once its last connection is freed. */
  leave(member: BudgetMember<C>): void {
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
  acquire(member: BudgetMember<C>, timeoutMs = this.settings.acquireTimeoutMs): Promise<Grant<C>> {
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
        ticket: this.nextTicket++,
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
   * A healthy connection of `member` is free again. `handed`: it went to a waiter (of this app,
   * or of an app of the same login, which now holds it); `keep`: keep it idle; `close`: close it
   * and call `freed`, the slot goes to another app or back to a budget that shrank.
   */
  release(member: BudgetMember<C>, connection: C): ReleaseOutcome {
    const account = this.accountOf(member);
    if (account.leaving || this.held > this.limit) return 'close';
    const own = this.waiters.find((w) => w.member === member);
    const other = this.bestWaiter((w) => w.member !== member);
    if (other !== undefined && this.yields(account, own, other)) {
      if (other.member.login !== member.login) return 'close';
      this.transfer(member, other, connection);
      return 'handed';
    }
    if (own === undefined) return 'keep';
    this.removeWaiter(own);
    own.resolve({ connection });
    return 'handed';
  }

  /** A connection of `member` (or an open that failed) is gone: its slot is free. */
  freed(member: BudgetMember<C>): void {
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

  /**
   * Whether an app gives its released connection to `other` rather than keep it. Without a
   * waiter of its own: what it holds beyond its guaranteed share. With one: to an app holding
   * two fewer (no ping-pong between equals), or one fewer that has waited longer (turns, when
   * there are more busy apps than connections).
   */
  private yields(account: Account, own: Waiter<C> | undefined, other: Waiter<C>): boolean {
    const otherHeld = this.accountOf(other.member).held;
    if (own === undefined) return account.held > this.guaranteedShare();
    return otherHeld + 2 <= account.held || (otherHeld < account.held && other.ticket < own.ticket);
  }

  /** Moves a connection and its slot from `from` to the waiter (an app of the same login). */
  private transfer(from: BudgetMember<C>, to: Waiter<C>, connection: C): void {
    this.accountOf(from).held--;
    this.accountOf(to.member).held++;
    this.removeWaiter(to);
    to.resolve({ connection });
  }

  /**
   * Grants free slots to the best waiters. While the budget is full, idle connections of apps
   * beyond their share go to waiters: handed over when the login is the same, else closed so
   * that the waiter opens its own.
   */
  private pump(): void {
    while (this.held < this.limit) {
      const next = this.bestWaiter(() => true);
      if (next === undefined) break;
      this.removeWaiter(next);
      this.take(this.accountOf(next.member));
      next.resolve({ connection: null });
    }
    let wanting = this.eligibleWaiterCount() - this.evicting;
    while (wanting > 0 && this.held >= this.limit) {
      const donor = this.idleDonor();
      if (donor === undefined) break;
      wanting--;
      const waiter = this.bestWaiter((w) => w.member !== donor && w.member.login === donor.login);
      const connection = waiter === undefined ? undefined : donor.takeIdle();
      if (waiter !== undefined && connection !== undefined) this.transfer(donor, waiter, connection);
      else if (donor.evictIdle()) this.evicting++;
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

  /** The app holding the most beyond its share that has an idle connection to give up. */
  private idleDonor(): BudgetMember<C> | undefined {
    const share = this.guaranteedShare();
    let donor: BudgetMember<C> | undefined;
    let most = -1;
    for (const [member, account] of this.accounts) {
      if (member.idleCount === 0 || (account.held <= share && !account.leaving)) continue;
      if (account.held > most) {
        donor = member;
        most = account.held;
      }
    }
    return donor;
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

  private accountOf(member: BudgetMember<C>): Account {
    const account = this.accounts.get(member);
    if (!account) throw new SogomsError('UNAVAILABLE', 'Database is unavailable');
    return account;
  }
}
