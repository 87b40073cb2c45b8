import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import type {
  InsertResult,
  MailListRequest,
  MailMessageStatus,
  Row,
  SqlValue,
  TransactionStatement,
} from '@sogoms/ipc';
import { MailerSettings, type MailApp } from '../mailer-settings.js';
import type { OutgoingMessage, QueuedMessage } from '../message/outgoing-message.js';
import { MAIL_QUEUE_TABLE, mailQueueTableDdl } from './mail-queue.table.js';
import { mailStatusOf, STATUS_COLUMNS } from './mail-row.js';
import { QueueDatabase } from './queue-database.js';

const Q = `\`${MAIL_QUEUE_TABLE}\``;
/** Statements per transaction when queueing a bulk: keeps one IPC frame and one lock short. */
const ENQUEUE_CHUNK = 500;
const MAX_ERROR_LENGTH = 1000;

const INSERT_COLUMNS = [
  'app',
  'idempotency_key',
  'state',
  'to_address',
  'subject',
  'message',
  'attempts',
  'max_attempts',
  'next_attempt_at',
  'created_at',
  'updated_at',
];

/** A message the worker holds a lease on. */
export interface ClaimedMessage {
  id: number;
  /** The claim's lease: `renew` keeps it while the sends run. */
  leaseToken: string;
  attempts: number;
  maxAttempts: number;
  message: OutgoingMessage;
}

/** What became of one delivery attempt. */
export type DeliveryOutcome =
  | { id: number; kind: 'sent'; providerMessageId: string | null }
  | { id: number; kind: 'retry'; error: string; nextAttemptAt: number }
  | { id: number; kind: 'dead'; error: string };

/** The only code that writes SQL for `sogoms_mail_queue`; every engine difference comes from the dialect. */
@Injectable()
export class MailQueueRepository {
  private readonly ensured = new Set<string>();

  constructor(
    private readonly db: QueueDatabase,
    private readonly settings: MailerSettings,
  ) {}

  /** Creates the queue table in the app's database when missing (once per process and app). */
  async ensureTable(app: MailApp): Promise<void> {
    if (this.ensured.has(app.name)) return;
    for (const sql of mailQueueTableDdl(this.settings.dialect(app))) await this.db.query(app.name, sql);
    this.ensured.add(app.name);
  }

  /** How many of the app's messages are in each state (metrics). */
  async countByState(app: MailApp): Promise<Map<string, number>> {
    await this.ensureTable(app);
    const rows = await this.db.query(
      app.name,
      `SELECT state, COUNT(*) AS n FROM ${Q} WHERE app = ? GROUP BY state`,
      [app.name],
    );
    return new Map(rows.map((row) => [String(row.state), Number(row.n)]));
  }

  /** Queues messages in order; an idempotency key seen before answers the existing id. */
  async enqueue(
    app: MailApp,
    items: readonly QueuedMessage[],
    now: number,
  ): Promise<{ id: number; created: boolean }[]> {
    await this.ensureTable(app);
    const dialect = this.settings.dialect(app);
    const out: { id: number; created: boolean }[] = [];
    for (let start = 0; start < items.length; start += ENQUEUE_CHUNK) {
      const chunk = items.slice(start, start + ENQUEUE_CHUNK);
      const statements: TransactionStatement[] = chunk.flatMap((item) => {
        const params: SqlValue[] = [
          app.name,
          item.idempotencyKey,
          'queued',
          item.message.to.join(', ').slice(0, 1000),
          item.message.subject.slice(0, 998),
          JSON.stringify(item.message),
          0,
          app.smtp.maxAttempts,
          now,
          now,
          now,
        ];
        if (item.idempotencyKey === null) {
          const sql = `INSERT INTO ${Q} (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')})`;
          return [{ sql, params, kind: 'write' as const }];
        }
        return [
          { sql: dialect.insertIfAbsent(Q, INSERT_COLUMNS), params, kind: 'write' as const },
          {
            sql: `SELECT id FROM ${Q} WHERE app = ? AND idempotency_key = ?`,
            params: [app.name, item.idempotencyKey],
          },
        ];
      });
      const results = await this.db.transaction(app.name, statements);
      let at = 0;
      for (const item of chunk) {
        const write = results[at++] as InsertResult;
        if (item.idempotencyKey === null) out.push({ id: write.insert_id, created: true });
        else out.push({ id: Number((results[at++] as Row[])[0].id), created: write.affected_rows > 0 });
      }
    }
    return out;
  }

  /**
   * Leases up to `limit` due messages (and those whose lease ran out: a worker died while
   * sending them). One statement claims them, so two workers never hold the same row: MariaDB
   * skips rows another claim has locked, SQLite has one writer at a time.
   */
  async claim(app: MailApp, limit: number, leaseMs: number, now: number): Promise<ClaimedMessage[]> {
    const token = randomBytes(16).toString('hex');
    const dialect = this.settings.dialect(app);
    const due =
      `SELECT id FROM ${Q} WHERE app = ? AND ((state IN ('queued', 'failed') AND next_attempt_at <= ?)` +
      ` OR (state = 'sending' AND lease_until < ?)) ORDER BY next_attempt_at, id LIMIT ?${dialect.claimRows}`;
    const [, rows] = await this.db.transaction(app.name, [
      {
        // The derived table lets MariaDB use LIMIT in the subquery of the table it updates.
        sql:
          `UPDATE ${Q} SET state = 'sending', lease_token = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?` +
          ` WHERE id IN (SELECT id FROM (${due}) AS due)`,
        params: [token, now + leaseMs, now, app.name, now, now, limit],
        kind: 'write',
      },
      {
        sql: `SELECT id, attempts, max_attempts, message FROM ${Q} WHERE lease_token = ? AND state = 'sending' ORDER BY id`,
        params: [token],
      },
    ]);
    return (rows as Row[]).map((row) => ({
      id: Number(row.id),
      leaseToken: token,
      attempts: Number(row.attempts),
      maxAttempts: Number(row.max_attempts),
      message: JSON.parse(String(row.message)) as OutgoingMessage,
    }));
  }

  /**
   * Extends a claim's lease while its sends run (a live worker keeps its messages, a dead one's
   * come back once the short lease runs out); answers how many rows it still holds.
   */
  async renew(app: MailApp, leaseToken: string, leaseMs: number, now: number): Promise<number> {
    const [result] = await this.db.transaction(app.name, [
      {
        sql: `UPDATE ${Q} SET lease_until = ? WHERE lease_token = ? AND state = 'sending'`,
        params: [now + leaseMs, leaseToken],
        kind: 'write',
      },
    ]);
    return (result as { affected_rows: number }).affected_rows;
  }

  /** Records what the attempts came to, in one round trip. */
  async settle(app: MailApp, outcomes: readonly DeliveryOutcome[], now: number): Promise<void> {
    if (outcomes.length === 0) return;
    const release = `lease_token = NULL, lease_until = NULL, updated_at = ?`;
    const statements: TransactionStatement[] = outcomes.map((outcome) => {
      switch (outcome.kind) {
        case 'sent':
          return {
            sql: `UPDATE ${Q} SET state = 'sent', provider_message_id = ?, sent_at = ?, last_error = NULL, ${release} WHERE id = ?`,
            params: [outcome.providerMessageId, now, now, outcome.id],
            kind: 'write',
          };
        case 'retry':
          return {
            sql: `UPDATE ${Q} SET state = 'failed', last_error = ?, next_attempt_at = ?, ${release} WHERE id = ?`,
            params: [outcome.error.slice(0, MAX_ERROR_LENGTH), outcome.nextAttemptAt, now, outcome.id],
            kind: 'write',
          };
        case 'dead':
          return {
            sql: `UPDATE ${Q} SET state = 'dead', last_error = ?, ${release} WHERE id = ?`,
            params: [outcome.error.slice(0, MAX_ERROR_LENGTH), now, outcome.id],
            kind: 'write',
          };
      }
    });
    await this.db.transaction(app.name, statements);
  }

  async status(app: MailApp, id: number): Promise<MailMessageStatus> {
    await this.ensureTable(app);
    const [row] = await this.db.query(
      app.name,
      `SELECT ${STATUS_COLUMNS} FROM ${Q} WHERE app = ? AND id = ?`,
      [app.name, id],
    );
    if (row === undefined)
      throw new SogomsError('NOT_FOUND', `No message ${id} in the queue of '${app.name}'`);
    return mailStatusOf(row);
  }

  async list(
    app: MailApp,
    filter: Required<Pick<MailListRequest, 'limit'>> & { state: string | null; since: number | null },
  ): Promise<MailMessageStatus[]> {
    await this.ensureTable(app);
    const where: string[] = ['app = ?'];
    const params: SqlValue[] = [app.name];
    if (filter.state !== null) {
      where.push('state = ?');
      params.push(filter.state);
    }
    if (filter.since !== null) {
      where.push('created_at >= ?');
      params.push(filter.since);
    }
    const rows = await this.db.query(
      app.name,
      `SELECT ${STATUS_COLUMNS} FROM ${Q} WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`,
      [...params, filter.limit],
    );
    return rows.map(mailStatusOf);
  }

  /** A dead or failed message goes out again now, with its attempts counted from zero. */
  async retry(app: MailApp, id: number, now: number): Promise<MailMessageStatus> {
    return this.transition(
      app,
      id,
      `UPDATE ${Q} SET state = 'queued', attempts = 0, next_attempt_at = ?, last_error = NULL, updated_at = ? WHERE app = ? AND id = ? AND state IN ('dead', 'failed')`,
      [now, now, app.name, id],
      'only a dead or failed message can be retried',
    );
  }

  /** A message not yet sent (nor being sent) is dropped: dead, last_error `cancelled`. */
  async cancel(app: MailApp, id: number, now: number): Promise<MailMessageStatus> {
    return this.transition(
      app,
      id,
      `UPDATE ${Q} SET state = 'dead', last_error = 'cancelled', updated_at = ? WHERE app = ? AND id = ? AND state IN ('queued', 'failed')`,
      [now, app.name, id],
      'only a queued or failed message can be cancelled',
    );
  }

  /** Deletes sent and dead rows last changed before `before` (epoch ms); answers how many. */
  async purge(app: MailApp, before: number): Promise<number> {
    await this.ensureTable(app);
    const [result] = await this.db.transaction(app.name, [
      {
        sql: `DELETE FROM ${Q} WHERE app = ? AND state IN ('sent', 'dead') AND updated_at < ?`,
        params: [app.name, before],
        kind: 'write',
      },
    ]);
    return (result as InsertResult).affected_rows;
  }

  private async transition(
    app: MailApp,
    id: number,
    sql: string,
    params: SqlValue[],
    refusal: string,
  ): Promise<MailMessageStatus> {
    await this.ensureTable(app);
    const [result] = await this.db.transaction(app.name, [{ sql, params, kind: 'write' }]);
    const status = await this.status(app, id);
    if ((result as InsertResult).affected_rows === 0)
      throw new SogomsError('CONFLICT', `Message ${id} is ${status.state}: ${refusal}`, {
        state: status.state,
      });
    return status;
  }
}
