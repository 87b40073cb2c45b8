import { afterEach, describe, expect, it, vi } from 'vitest';
import { RECOVERY_STEP_MS, ServerBudget, derivedBudget, type BudgetMember } from './server-budget.js';

/**
 * The budget's bookkeeping on its own (the connections themselves are exercised against real
 * MariaDB servers in test/connection-budget.e2e.spec.ts). A member here counts what the budget
 * lets it hold, as AppPool does.
 */
class Member implements BudgetMember<string> {
  inUse = 0;
  idle: string[] = [];
  constructor(
    readonly app: string,
    readonly ceiling: number,
    private readonly budget: ServerBudget<string>,
    /** Each app its own login unless told: connections are then closed and opened, never passed on. */
    readonly login: string = app,
  ) {
    budget.join(this);
  }
  takeIdle(): string | undefined {
    return this.idle.shift();
  }
  get idleCount(): number {
    return this.idle.length;
  }
  evictIdle(): boolean {
    if (this.idle.length === 0) return false;
    this.idle.shift();
    queueMicrotask(() => this.budget.freed(this));
    return true;
  }
  closeIdleOlderThan(): void {}
  /** Acquires and, given a slot, "opens" a connection named after the app. */
  async take(timeoutMs = 1000): Promise<string> {
    const grant = await this.budget.acquire(this, timeoutMs);
    this.inUse++;
    return grant.connection ?? `${this.app}-conn`;
  }
  give(connection: string): string {
    this.inUse--;
    const outcome = this.budget.release(this, connection);
    if (outcome === 'keep') this.idle.push(connection);
    if (outcome === 'close') this.budget.freed(this);
    return outcome;
  }
}

const settings = (maxConnections: number | null, acquireTimeoutMs = 1000, maxWaiting = 100) => ({
  maxConnections,
  acquireTimeoutMs,
  maxWaiting,
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ServerBudget', () => {
  const budgets: ServerBudget<string>[] = [];
  const budgetOf = (...args: ConstructorParameters<typeof ServerBudget<string>>) => {
    const budget = new ServerBudget<string>(...args);
    budgets.push(budget);
    return budget;
  };
  afterEach(() => {
    budgets.splice(0).forEach((b) => b.dispose());
    vi.useRealTimers();
  });

  it('derives a budget from the server limit, leaving a fifth (at least 5) to other clients', () => {
    expect(derivedBudget(151)).toBe(120);
    expect(derivedBudget(30)).toBe(24);
    expect(derivedBudget(10)).toBe(5);
    expect(derivedBudget(3)).toBe(1);
    const budget = budgetOf('db:3306', settings(null));
    // One connection at a time until the first one has read the server's limit.
    expect(budget.limit).toBe(1);
    budget.learnServerMax(151);
    expect(budget.limit).toBe(120);
    const configured = budgetOf('db:3306', settings(500));
    configured.learnServerMax(151);
    // A configured budget is never above the server's own limit.
    expect(configured.limit).toBe(151);
  });

  it('makes a caller wait for a connection and hands it over when one is released', async () => {
    const budget = budgetOf('db:3306', settings(1));
    const app = new Member('a', 4, budget);
    const first = await app.take();
    let second: string | null = null;
    void app.take().then((c) => (second = c));
    await settle();
    expect(second).toBeNull();
    expect(budget.stats()).toMatchObject({ budget: 1, held: 1, in_use: 1, waiting: 1 });
    expect(app.give(first)).toBe('handed');
    await settle();
    expect(second).toBe(first);
  });

  it('a wait that runs out is UNAVAILABLE with retry_after_s and counted; a full queue refuses at once', async () => {
    vi.useFakeTimers();
    const budget = budgetOf('db:3306', settings(1, 300, 1));
    const app = new Member('a', 4, budget);
    await app.take();
    const waiting = app.take(300);
    const refusal = app.take(300);
    await expect(refusal).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      details: { retry_after_s: 1 },
      message: 'Database is busy: too many statements are waiting',
    });
    vi.advanceTimersByTime(300);
    await expect(waiting).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: 'Database is busy: no connection became free in time',
    });
    expect(budget.stats()).toMatchObject({ waiting: 0, timed_out_waits: 1, queue_full: 1 });
  });

  it('never lets an app hold more than its pool_size, whatever the budget', async () => {
    const budget = budgetOf('db:3306', settings(10));
    const app = new Member('a', 2, budget);
    await app.take();
    await app.take();
    let third = false;
    void app.take().then(() => (third = true));
    await settle();
    expect(third).toBe(false);
    expect(budget.stats()).toMatchObject({ held: 2, waiting: 1 });
  });

  it('a freed slot goes to the waiting app holding the fewest; a busy app gives up to a starved one', async () => {
    const budget = budgetOf('db:3306', settings(4));
    const busy = new Member('busy', 10, budget);
    const quiet = new Member('quiet', 10, budget);
    const held = await Promise.all([busy.take(), busy.take(), busy.take(), busy.take()]);
    // The busy app queues more work first, the quiet app after it.
    const busyWaits = [busy.take(), busy.take()];
    let quietGot = false;
    void quiet.take().then(() => (quietGot = true));
    await settle();
    // busy holds 4, quiet 0: the release does not feed busy's own queue but goes to quiet.
    expect(busy.give(held[0])).toBe('close');
    await settle();
    expect(quietGot).toBe(true);
    // busy 3, quiet 1: now busy reuses its own connections for its own waiters.
    expect(busy.give(held[1])).toBe('handed');
    await settle();
    await expect(busyWaits[0]).resolves.toBe('busy-conn');
    expect(budget.stats()).toMatchObject({ held: 4, waiting: 1 });
  });

  it("keeps an idle app's guaranteed share; takes idle connections beyond it for a waiter", async () => {
    const budget = budgetOf('db:3306', settings(4));
    const quiet = new Member('quiet', 10, budget);
    const busy = new Member('busy', 10, budget);
    // quiet has 3 connections, then goes idle: its share is 4 / 2 apps = 2.
    const mine = await Promise.all([quiet.take(), quiet.take(), quiet.take()]);
    await busy.take();
    let busyGot = 0;
    for (let i = 0; i < 3; i++) void busy.take().then(() => busyGot++);
    await settle();
    expect(busyGot).toBe(0);
    expect(quiet.give(mine[0])).toBe('close'); // beyond its share: given up at once
    expect(quiet.give(mine[1])).toBe('keep');
    expect(quiet.give(mine[2])).toBe('keep');
    await settle();
    expect(busyGot).toBe(1);
    expect(budget.stats()).toMatchObject({ held: 4, idle: 2, waiting: 2 });
  });

  it('evicts idle connections of an app beyond its share when another app starts waiting', async () => {
    const budget = budgetOf('db:3306', settings(4));
    const early = new Member('early', 10, budget);
    const late = new Member('late', 10, budget);
    const all = await Promise.all([early.take(), early.take(), early.take(), early.take()]);
    all.forEach((c) => expect(early.give(c)).toBe('keep'));
    const got = await Promise.all([late.take(), late.take()]);
    expect(got).toEqual(['late-conn', 'late-conn']);
    // early keeps its share of 2 idle, late holds the other 2; a third waits.
    let third = false;
    void late.take().then(() => (third = true));
    await settle();
    expect(third).toBe(false);
    expect(budget.stats()).toMatchObject({ held: 4, idle: 2, in_use: 2, waiting: 1 });
  });

  it('a 1040 shrinks the budget to what is held, then it grows back a step at a time', async () => {
    let now = 1_000_000;
    const budget = budgetOf('db:3306', settings(10), () => now);
    const app = new Member('a', 10, budget);
    await Promise.all([app.take(), app.take(), app.take()]);
    // The fourth open was refused by the server: its slot is freed, then the budget is told.
    await app.take();
    budget.freed(app);
    budget.refused();
    expect(budget.stats()).toMatchObject({ budget: 3, held: 3, refused_1040: 1 });
    now += RECOVERY_STEP_MS;
    expect(budget.limit).toBe(4);
    now += 10 * RECOVERY_STEP_MS;
    expect(budget.limit).toBe(10);
  });

  it('between apps of the same login a connection changes hands without being closed', async () => {
    const budget = budgetOf('db:3306', settings(2));
    const busy = new Member('busy', 10, budget, 'root');
    const quiet = new Member('quiet', 10, budget, 'root');
    const held = await Promise.all([busy.take(), busy.take()]);
    void busy.take();
    const quietGets = quiet.take();
    await settle();
    // busy 2, quiet 0 waiting: the released connection goes straight to quiet.
    expect(busy.give(held[0])).toBe('handed');
    await expect(quietGets).resolves.toBe('busy-conn');
    expect(budget.stats()).toMatchObject({ held: 2, waiting: 1 });
    // An idle connection beyond its share is passed on too, rather than closed.
    const idleBudget = budgetOf('db:3306', settings(2));
    const early = new Member('early', 10, idleBudget, 'root');
    const late = new Member('late', 10, idleBudget, 'root');
    const mine = await Promise.all([early.take(), early.take()]);
    mine.forEach((c) => early.give(c));
    await expect(late.take()).resolves.toBe('early-conn');
    expect(idleBudget.stats()).toMatchObject({ held: 2, idle: 1, waiting: 0 });
  });

  it('with more busy apps than connections they take turns: the longest wait goes first', async () => {
    // A clock that stands still: waiters queued in the same millisecond still keep their order.
    const budget = budgetOf('db:3306', settings(1), () => 0);
    const a = new Member('a', 10, budget, 'root');
    const b = new Member('b', 10, budget, 'root');
    const first = await a.take();
    const bGets = b.take();
    await settle();
    const aAgain = a.take();
    await settle();
    // Both wait, a holds 1, b none and waited longer: a's release goes to b, not to a's own waiter.
    expect(a.give(first)).toBe('handed');
    const second = await bGets;
    expect(b.give(second)).toBe('handed');
    await expect(aAgain).resolves.toBe('a-conn');
  });

  it('an app that leaves gets its waiters refused and is forgotten with its last connection', async () => {
    const budget = budgetOf('db:3306', settings(1));
    const app = new Member('a', 4, budget);
    await app.take();
    const waiting = app.take();
    budget.leave(app);
    await expect(waiting).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(budget.isEmpty).toBe(false);
    budget.freed(app);
    expect(budget.isEmpty).toBe(true);
  });
});
