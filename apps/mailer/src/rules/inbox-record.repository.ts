import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AppConfig } from '@sogoms/config';
import type { InsertResult, SqlValue } from '@sogoms/ipc';
import { MailerSettings } from '../mailer-settings.js';
import { QueueDatabase } from '../queue/queue-database.js';
import { INBOX_RECORD_TABLE, inboxRecordTableDdl } from './inbox-record.table.js';

const T = `\`${INBOX_RECORD_TABLE}\``;
const KEY = 'app = ? AND account = ? AND folder = ? AND uid_validity = ?';
/** A claim not finished within this long (its process died) may be taken over. */
export const INBOX_LEASE_MS = 60_000;

/** The IMAP identity of a folder's messages: UIDs are unique per folder while UIDVALIDITY stays. */
export interface FolderKey {
  account: string;
  folder: string;
  uidValidity: number;
}

/** What became of a message: `done` (a rule ran), `unmatched` (left alone), `failed` (moved aside). */
export type RecordState = 'done' | 'unmatched' | 'failed';

/** The only SQL for `sogoms_mail_inbox`, the record of every message the watchers took up. */
@Injectable()
export class InboxRecordRepository {
  private readonly ensured = new Set<string>();

  constructor(
    private readonly db: QueueDatabase,
    private readonly settings: MailerSettings,
  ) {}

  private async ensureTable(app: AppConfig): Promise<void> {
    if (this.ensured.has(app.name)) return;
    for (const sql of inboxRecordTableDdl(this.settings.dialect(app))) await this.db.query(app.name, sql);
    this.ensured.add(app.name);
  }

  private keyParams(app: AppConfig, key: FolderKey): SqlValue[] {
    return [app.name, key.account, key.folder, key.uidValidity];
  }

  /**
   * The first UID still to look at: the lowest one whose claim is unfinished, else one past the
   * highest recorded. A new folder (or a new UIDVALIDITY) starts from 1: every message there is
   * taken up once.
   */
  async firstUidToProcess(app: AppConfig, key: FolderKey): Promise<number> {
    await this.ensureTable(app);
    const [row] = await this.db.query(
      app.name,
      `SELECT MIN(CASE WHEN state = 'processing' THEN uid END) AS pending, MAX(uid) AS highest FROM ${T} WHERE ${KEY}`,
      this.keyParams(app, key),
    );
    if (row?.pending !== null && row?.pending !== undefined) return Number(row.pending);
    return row?.highest === null || row?.highest === undefined ? 1 : Number(row.highest) + 1;
  }

  /** UIDs from `from` on that are finished (no rule runs on them again). */
  async finishedUids(app: AppConfig, key: FolderKey, from: number): Promise<Set<number>> {
    const rows = await this.db.query(
      app.name,
      `SELECT uid FROM ${T} WHERE ${KEY} AND uid >= ? AND state <> 'processing'`,
      [...this.keyParams(app, key), from],
    );
    return new Set(rows.map((r) => Number(r.uid)));
  }

  /**
   * Takes up one message: a new record (the unique key lets one process win), or a claim whose
   * lease ran out (its process died mid-way). Answers the lease token, or null when another
   * process has it or it is finished.
   */
  async claim(
    app: AppConfig,
    key: FolderKey,
    uid: number,
    messageId: string | null,
    now: number,
  ): Promise<string | null> {
    await this.ensureTable(app);
    const token = randomBytes(12).toString('hex');
    const dialect = this.settings.dialect(app);
    const [inserted] = await this.db.transaction(app.name, [
      {
        sql: dialect.insertIfAbsent(T, [
          'app',
          'account',
          'folder',
          'uid_validity',
          'uid',
          'message_id',
          'state',
          'lease_token',
          'lease_until',
          'attempts',
          'created_at',
          'updated_at',
        ]),
        params: [
          ...this.keyParams(app, key),
          uid,
          messageId,
          'processing',
          token,
          now + INBOX_LEASE_MS,
          1,
          now,
          now,
        ],
        kind: 'write',
      },
    ]);
    if ((inserted as InsertResult).affected_rows === 1) return token;
    const [taken] = await this.db.transaction(app.name, [
      {
        sql: `UPDATE ${T} SET lease_token = ?, lease_until = ?, attempts = attempts + 1, updated_at = ? WHERE ${KEY} AND uid = ? AND state = 'processing' AND lease_until < ?`,
        params: [token, now + INBOX_LEASE_MS, now, ...this.keyParams(app, key), uid, now],
        kind: 'write',
      },
    ]);
    return (taken as InsertResult).affected_rows === 1 ? token : null;
  }

  /** Records the outcome; only the holder of the lease may. */
  async finish(
    app: AppConfig,
    key: FolderKey,
    uid: number,
    token: string,
    state: RecordState,
    outcome: string,
    now: number,
  ): Promise<void> {
    await this.db.transaction(app.name, [
      {
        sql: `UPDATE ${T} SET state = ?, outcome = ?, lease_token = NULL, lease_until = NULL, updated_at = ? WHERE ${KEY} AND uid = ? AND lease_token = ?`,
        params: [state, outcome.slice(0, 1000), now, ...this.keyParams(app, key), uid, token],
        kind: 'write',
      },
    ]);
  }

  /** Gives a claim back after a temporary failure: the next look takes it up again. */
  async release(
    app: AppConfig,
    key: FolderKey,
    uid: number,
    token: string,
    reason: string,
    now: number,
  ): Promise<void> {
    await this.db.transaction(app.name, [
      {
        sql: `UPDATE ${T} SET lease_until = 0, outcome = ?, updated_at = ? WHERE ${KEY} AND uid = ? AND lease_token = ?`,
        params: [reason.slice(0, 1000), now, ...this.keyParams(app, key), uid, token],
        kind: 'write',
      },
    ]);
  }
}
