import { Injectable } from '@nestjs/common';
import type { InsertResult, PushStoredEvent, Row } from '@sogoms/ipc';
import { PushSettings, type PushApp } from '../push-settings.js';
import { OutboxDatabase } from './outbox-database.js';
import { OUTBOX_TABLE, outboxTableDdl } from './outbox.table.js';

const T = `\`${OUTBOX_TABLE}\``;

/** One event to record: where it goes and what is published (its `seq` is added when read back). */
export interface OutboxEntry {
  channel: string;
  /** The user whose topic it goes to; null: the app's broadcast topic. */
  owner: string | null;
  message: Record<string, unknown>;
}

/** The only code that writes SQL for `sogoms_push_outbox`; every engine difference comes from the dialect. */
@Injectable()
export class OutboxRepository {
  private readonly ensured = new Set<string>();

  constructor(
    private readonly db: OutboxDatabase,
    private readonly settings: PushSettings,
  ) {}

  /** Creates the outbox in the app's database when missing (once per process and app). */
  async ensureTable(app: PushApp): Promise<void> {
    if (this.ensured.has(app.name)) return;
    for (const sql of outboxTableDdl(this.settings.dialect(app))) await this.db.query(app.name, sql);
    this.ensured.add(app.name);
  }

  /**
   * Records entries in order in one transaction of two statements, whatever their number: one
   * multi-row INSERT, then the app's newest ids. This process is the app's only writer of the
   * outbox, so those are exactly the rows just inserted (auto-increment ids rise in row order).
   */
  async append(app: PushApp, entries: readonly OutboxEntry[], now: number): Promise<number[]> {
    await this.ensureTable(app);
    const params = entries.flatMap((entry) => [
      app.name,
      entry.channel,
      entry.owner,
      JSON.stringify(entry.message),
      now,
    ]);
    const [, rows] = await this.db.transaction(app.name, [
      {
        sql: `INSERT INTO ${T} (app, channel, owner, message, created_at) VALUES ${entries.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
        params,
        kind: 'write',
      },
      {
        sql: `SELECT id FROM ${T} WHERE app = ? ORDER BY id DESC LIMIT ?`,
        params: [app.name, entries.length],
      },
    ]);
    return (rows as Row[]).map((row) => Number(row.id)).reverse();
  }

  /**
   * The events after `since` that `user` could receive (its own and the broadcasts), oldest
   * first, and the app's oldest kept sequence number (to tell whether some were purged).
   */
  async after(
    app: PushApp,
    user: string,
    since: number,
    limit: number,
  ): Promise<{ events: PushStoredEvent[]; more: boolean; oldest: number | null }> {
    await this.ensureTable(app);
    const [rows, oldest] = (await this.db.transaction(app.name, [
      {
        sql:
          `SELECT id, channel, owner, message FROM ${T} WHERE app = ? AND id > ? AND (owner = ? OR owner IS NULL)` +
          ` ORDER BY id LIMIT ?`,
        params: [app.name, since, user, limit + 1],
      },
      { sql: `SELECT MIN(id) AS oldest FROM ${T} WHERE app = ?`, params: [app.name] },
    ])) as Row[][];
    const events = rows.slice(0, limit).map((row): PushStoredEvent => ({
      seq: Number(row.id),
      channel: String(row.channel),
      audience: row.owner === null ? 'broadcast' : 'user',
      message: {
        ...(JSON.parse(String(row.message)) as object),
        seq: Number(row.id),
      } as PushStoredEvent['message'],
    }));
    const min = oldest[0]?.oldest;
    return {
      events,
      more: rows.length > limit,
      oldest: min === null || min === undefined ? null : Number(min),
    };
  }

  /**
   * Deletes the app's events recorded before `before` (epoch ms), always keeping its newest one:
   * the oldest kept sequence number then tells a client whether it missed purged events.
   */
  async purge(app: PushApp, before: number): Promise<number> {
    await this.ensureTable(app);
    const [newest] = await this.db.query(app.name, `SELECT MAX(id) AS newest FROM ${T} WHERE app = ?`, [
      app.name,
    ]);
    if (newest?.newest === null || newest?.newest === undefined) return 0;
    const [result] = await this.db.transaction(app.name, [
      {
        sql: `DELETE FROM ${T} WHERE app = ? AND created_at < ? AND id < ?`,
        params: [app.name, before, Number(newest.newest)],
        kind: 'write',
      },
    ]);
    return (result as InsertResult).affected_rows;
  }
}
