import type { Session } from 'fastify';

type Callback = (error?: unknown) => void;
type GetCallback = (error: unknown, session?: Session | null) => void;

/** How long the session of the sign-in form (CSRF secret only, no user) lives unused. */
const PRE_LOGIN_IDLE_MS = 5 * 60_000;

interface Entry {
  session: Session;
  createdAt: number;
  lastSeenAt: number;
}

/** One row of the sessions page. */
export interface SessionSummary {
  id: string;
  username: string;
  ip: string;
  userAgent: string;
  signedInAt: number;
  lastSeenAt: number;
}

/**
 * @fastify/session's store, kept in the admin's memory so sessions can be listed and revoked.
 * A session unused for `idleMs`, or older than `absoluteMs`, is gone at its next read (and swept
 * every minute). An admin restart signs everyone out: a deliberate trade for not writing session
 * secrets to disk.
 */
export class AdminSessionStore {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly idleMs: number,
    private readonly absoluteMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  set(id: string, session: Session, callback: Callback): void {
    const existing = this.entries.get(id);
    const at = this.now();
    this.entries.set(id, { session, createdAt: existing?.createdAt ?? at, lastSeenAt: at });
    callback();
  }

  get(id: string, callback: GetCallback): void {
    const entry = this.entries.get(id);
    if (entry === undefined || this.expired(entry)) {
      this.entries.delete(id);
      callback(null, null);
      return;
    }
    entry.lastSeenAt = this.now();
    callback(null, entry.session);
  }

  destroy(id: string, callback: Callback): void {
    this.entries.delete(id);
    callback();
  }

  /** Signed-in sessions, newest first. */
  list(): SessionSummary[] {
    const rows: SessionSummary[] = [];
    for (const [id, entry] of this.entries) {
      const { username, ip, userAgent, signedInAt } = entry.session;
      if (username === undefined || this.expired(entry)) continue;
      rows.push({
        id,
        username,
        ip: ip ?? '',
        userAgent: userAgent ?? '',
        signedInAt: signedInAt ?? entry.createdAt,
        lastSeenAt: entry.lastSeenAt,
      });
    }
    return rows.sort((a, b) => b.signedInAt - a.signedInAt);
  }

  /** Ends one session (revoke from the sessions page); false when there was none. */
  revoke(id: string): boolean {
    return this.entries.delete(id);
  }

  /** Ends every session of a user (removed, disabled, password changed). */
  revokeUser(username: string): number {
    let count = 0;
    for (const [id, entry] of this.entries)
      if (entry.session.username === username || entry.session.pendingUsername === username) {
        this.entries.delete(id);
        count += 1;
      }
    return count;
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private expired(entry: Entry): boolean {
    const at = this.now();
    const since = entry.session.signedInAt ?? entry.createdAt;
    // A session nobody signed in to only holds a CSRF secret for the sign-in form: it lives
    // briefly, so a flood of GET /login cannot keep memory for the full idle time.
    const idle =
      entry.session.username === undefined ? Math.min(this.idleMs, PRE_LOGIN_IDLE_MS) : this.idleMs;
    return at - entry.lastSeenAt > idle || at - since > this.absoluteMs;
  }

  private sweep(): void {
    for (const [id, entry] of this.entries) if (this.expired(entry)) this.entries.delete(id);
  }
}
