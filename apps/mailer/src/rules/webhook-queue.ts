import { createHmac } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { blockedReason, guardedRequest, RefusedAddressError } from '@sogoms/common';
import type { AppConfig } from '@sogoms/config';
import type { InsertResult, Row } from '@sogoms/ipc';
import { MailerSettings } from '../mailer-settings.js';
import { QueueDatabase } from '../queue/queue-database.js';
import type { RuleAction } from './mail-rule.js';
import { MailRules } from './mail-rules.js';
import type { IncomingMail } from './rule-matcher.js';
import { WEBHOOK_QUEUE_TABLE, webhookQueueTableDdl } from './webhook-queue.table.js';

const T = `\`${WEBHOOK_QUEUE_TABLE}\``;
const MAX_ATTEMPTS = 8;
const POLL_MS = 2000;
const LEASE_MS = 30_000;
const TIMEOUT_MS = 10_000;
const TEXT_CAP = 64 * 1024;
/** The header that carries `sha256=<hex HMAC of the body>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-sogoms-signature';

type WebhookAction = Extract<RuleAction, { do: 'webhook' }>;

const backoffMs = (attempts: number): number => Math.min(30_000 * 2 ** (attempts - 1), 6 * 3600_000);

/**
 * Webhook calls of mail rules: queued in the app's database in the same step that processes the
 * message (one row per message and rule, so a second try of the message queues nothing new),
 * then POSTed with the outgoing-request guard, signed, retried with backoff; at least once.
 */
@Injectable()
export class WebhookQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly ensured = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: QueueDatabase,
    private readonly settings: MailerSettings,
    private readonly rules: MailRules,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(POLL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.deliverDue().finally(() => {
        this.running = null;
        this.schedule(POLL_MS);
      });
    }, delay);
  }

  private async ensureTable(app: AppConfig): Promise<void> {
    if (this.ensured.has(app.name)) return;
    for (const sql of webhookQueueTableDdl(this.settings.dialect(app))) await this.db.query(app.name, sql);
    this.ensured.add(app.name);
  }

  async enqueue(app: AppConfig, rule: string, action: WebhookAction, mail: IncomingMail): Promise<number> {
    await this.ensureTable(app);
    const now = Date.now();
    const body = JSON.stringify({
      app: app.name,
      rule,
      account: mail.account,
      message_id: mail.messageId,
      from: mail.from,
      from_name: mail.fromName,
      to: mail.recipients,
      subject: mail.subject,
      date: mail.date?.toISOString() ?? null,
      text: mail.text.slice(0, TEXT_CAP),
      has_attachment: mail.hasAttachment,
    });
    const dedupe =
      `${rule}:${mail.account}:${mail.messageId ?? `${mail.subject}:${mail.date?.getTime() ?? 0}`}`.slice(
        0,
        191,
      );
    const dialect = this.settings.dialect(app);
    await this.db.transaction(app.name, [
      {
        sql: dialect.insertIfAbsent(T, [
          'app',
          'rule',
          'dedupe_key',
          'url',
          'allow_private',
          'body',
          'state',
          'next_attempt_at',
          'created_at',
          'updated_at',
        ]),
        params: [
          app.name,
          rule,
          dedupe,
          action.url,
          action.allowPrivate ? 1 : 0,
          body,
          'queued',
          now,
          now,
          now,
        ],
        kind: 'write',
      },
    ]);
    const [row] = await this.db.query(app.name, `SELECT id FROM ${T} WHERE app = ? AND dedupe_key = ?`, [
      app.name,
      dedupe,
    ]);
    return Number(row?.id);
  }

  private async deliverDue(): Promise<void> {
    for (const app of this.settings.inboxApps()) {
      try {
        await this.ensureTable(app);
        const due = await this.db.query(
          app.name,
          `SELECT * FROM ${T} WHERE app = ? AND state = 'queued' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?) ORDER BY id LIMIT 20`,
          [app.name, Date.now(), Date.now()],
        );
        for (const row of due) await this.deliverOne(app, row);
      } catch (error) {
        this.logger.warn(`${app.name}: webhook queue not reachable: ${(error as Error).message}`);
      }
    }
  }

  private async deliverOne(app: AppConfig, row: Row): Promise<void> {
    const now = Date.now();
    const [lease] = await this.db.transaction(app.name, [
      {
        sql: `UPDATE ${T} SET lease_until = ?, attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'queued' AND (lease_until IS NULL OR lease_until < ?)`,
        params: [now + LEASE_MS, now, Number(row.id), now],
        kind: 'write',
      },
    ]);
    // Another mailer took it.
    if ((lease as InsertResult).affected_rows !== 1) return;
    const attempts = Number(row.attempts) + 1;
    const action = this.rules.webhookOf(app.name, String(row.rule));
    let failure: { error: string; permanent: boolean } | null = null;
    if (action === null)
      failure = { error: `rule ${String(row.rule)} has no webhook any more`, permanent: true };
    else {
      const body = String(row.body);
      const signature = createHmac('sha256', action.secret).update(body).digest('hex');
      try {
        const answer = await guardedRequest({
          method: 'POST',
          url: String(row.url),
          headers: { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: `sha256=${signature}` },
          body,
          refuse: Number(row.allow_private) === 1 ? () => null : blockedReason,
          maxResponseBytes: 4096,
          maxRedirects: 3,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        if (answer.status < 200 || answer.status >= 300)
          failure = {
            error: `answered ${answer.status}`,
            permanent: answer.status >= 400 && answer.status < 500 && answer.status !== 429,
          };
      } catch (error) {
        failure = { error: (error as Error).message, permanent: error instanceof RefusedAddressError };
      }
    }
    const at = Date.now();
    const dead = failure !== null && (failure.permanent || attempts >= MAX_ATTEMPTS);
    await this.db.transaction(app.name, [
      {
        sql: `UPDATE ${T} SET state = ?, lease_until = NULL, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?`,
        params: [
          failure === null ? 'sent' : dead ? 'dead' : 'queued',
          at + (failure === null ? 0 : backoffMs(attempts)),
          failure?.error.slice(0, 1000) ?? null,
          at,
          Number(row.id),
        ],
        kind: 'write',
      },
    ]);
    if (failure !== null)
      this.logger.warn(
        `${app.name}: webhook ${String(row.id)} of rule ${String(row.rule)}: ${failure.error}${dead ? ' (dead)' : ' (will retry)'}`,
      );
  }
}
