import { Injectable, Logger } from '@nestjs/common';
import { isRecord } from '@sogoms/common';
import type { AppConfig } from '@sogoms/config';
import type { SqlValue } from '@sogoms/ipc';
import { bindNamedParams, quoteIdentifier } from '@sogoms/schema';
import { MailerService } from '../mailer.service.js';
import { QueueDatabase } from '../queue/queue-database.js';
import { GatewayRowWriter } from './gateway-row.writer.js';
import type { MailRule, RuleAction, ValueSource } from './mail-rule.js';
import { PermanentRuleFailure, TemporaryRuleFailure } from './rule-failure.js';
import { rowIdempotencyKey } from './row-idempotency-key.js';
import type { SenderLookup } from './sender-lookup.js';
import { matchRule, type IncomingMail } from './rule-matcher.js';
import { WebhookQueue } from './webhook-queue.js';

/** What the watcher does on the IMAP side for a rule (its own connection holds the folder). */
export interface MailboxActions {
  move(folder: string): Promise<void>;
  markRead(): Promise<void>;
}

export interface RuleOutcome {
  state: 'done' | 'unmatched';
  /** `rule-name: what it did; …` for the record and the log. */
  summary: string;
}

interface Owner {
  id: string;
  role: string;
}

/** Runs an app's mail rules on one message: first match wins unless the rule says `continue`. */
@Injectable()
export class RuleRunner {
  private readonly logger = new Logger('MailRules');

  constructor(
    private readonly db: QueueDatabase,
    private readonly rows: GatewayRowWriter,
    private readonly mailer: MailerService,
    private readonly webhooks: WebhookQueue,
  ) {}

  async run(
    app: AppConfig,
    rules: readonly MailRule[],
    mail: IncomingMail,
    mailbox: MailboxActions,
  ): Promise<RuleOutcome> {
    const done: string[] = [];
    for (const rule of rules) {
      const groups = matchRule(rule, mail);
      if (groups === null) continue;
      const lookup =
        rule.actions.flatMap((a) =>
          a.do === 'create_row' && a.senderLookup !== null ? [a.senderLookup] : [],
        )[0] ?? null;
      const owner = lookup === null ? null : await this.senderUser(app, mail, lookup);
      // No user with the sender's address: the rule does not apply (the next one may).
      if (lookup !== null && owner === null) continue;
      const did: string[] = [];
      for (const action of rule.actions)
        did.push(await this.act(app, rule, action, mail, groups, owner, mailbox));
      done.push(`${rule.name}: ${did.join(', ')}`);
      if (!rule.continueAfter) break;
    }
    return done.length === 0
      ? { state: 'unmatched', summary: 'no rule matched' }
      : { state: 'done', summary: done.join('; ') };
  }

  private async act(
    app: AppConfig,
    rule: MailRule,
    action: RuleAction,
    mail: IncomingMail,
    groups: Record<string, string>,
    owner: Owner | null,
    mailbox: MailboxActions,
  ): Promise<string> {
    switch (action.do) {
      case 'create_row': {
        const body: Record<string, unknown> = {};
        for (const [field, source] of Object.entries(action.fields))
          body[field] = await this.valueOf(app, source, mail, groups, owner);
        if (action.messageIdField !== null) body[action.messageIdField] = mail.messageId;
        const occurrence = rule.actions
          .slice(0, rule.actions.indexOf(action) + 1)
          .filter((a) => a.do === 'create_row' && a.table === action.table).length;
        // owner: none on a table without an owner rule: an admin token (no user row needed).
        const written = await this.rows.create(
          app,
          action.table,
          owner ?? { id: '0', role: 'admin' },
          body,
          rowIdempotencyKey(app.name, rule.name, occurrence, mail),
        );
        const row = written.id === null ? `${action.table} row` : `${action.table} ${String(written.id)}`;
        return written.earlier ? `${row} already made by an earlier try` : `${row} created`;
      }
      case 'webhook': {
        const id = await this.webhooks.enqueue(app, rule.name, action, mail);
        return `webhook queued (${id})`;
      }
      case 'move':
        await mailbox.move(action.folder);
        return `moved to ${action.folder}`;
      case 'mark_read':
        await mailbox.markRead();
        return 'marked read';
      case 'reply': {
        if (mail.from === null) return 'no reply: no sender address';
        const queued = await this.mailer
          .sendTemplate({
            app: app.name,
            template: action.template,
            to: mail.from,
            vars: {
              subject: mail.subject,
              from: mail.from,
              from_name: mail.fromName ?? mail.from,
              text: mail.text,
            },
            // One reply per message and rule, however many times the message is taken up.
            idempotency_key:
              `reply:${rule.name}:${mail.messageId ?? `${mail.account}:${mail.subject}`}`.slice(0, 191),
          })
          .catch((error: unknown) => {
            const code = isRecord(error) && typeof error.code === 'string' ? error.code : '';
            if (code === 'UNAVAILABLE') throw new TemporaryRuleFailure(`reply: ${(error as Error).message}`);
            throw new PermanentRuleFailure(`reply: ${(error as Error).message}`);
          });
        return `reply queued (${queued.id})`;
      }
    }
  }

  private async valueOf(
    app: AppConfig,
    source: ValueSource,
    mail: IncomingMail,
    groups: Record<string, string>,
    owner: Owner | null,
  ): Promise<unknown> {
    switch (source.kind) {
      case 'value':
        return source.value;
      case 'group':
        return groups[source.group] ?? null;
      case 'part':
        switch (source.part) {
          case 'subject':
            return mail.subject;
          case 'text':
            return mail.text;
          case 'from':
            return mail.from;
          case 'from_name':
            return mail.fromName;
          case 'to':
            return mail.recipients[0] ?? null;
          case 'date':
            return (mail.date ?? new Date()).toISOString();
          case 'message_id':
            return mail.messageId;
        }
      // falls through: every part is handled above
      case 'sql': {
        const params = bindNamedParams<SqlValue>(source.sql, {
          owner: owner === null ? null : owner.id,
          from: mail.from,
          subject: mail.subject,
        });
        const rows = await this.query(app, source.sql.sql, params);
        const first = rows[0];
        return first === undefined ? null : (Object.values(first)[0] ?? null);
      }
    }
  }

  private async query(app: AppConfig, sql: string, params: SqlValue[]): Promise<Record<string, unknown>[]> {
    try {
      return await this.db.query(app.name, sql, params);
    } catch (error) {
      const code = isRecord(error) && typeof error.code === 'string' ? error.code : '';
      if (code === 'UNAVAILABLE') throw new TemporaryRuleFailure(`database: ${(error as Error).message}`);
      throw new PermanentRuleFailure(`sql source refused: ${(error as Error).message}`);
    }
  }

  /** The user whose login is the sender's address, or null. */
  private async senderUser(app: AppConfig, mail: IncomingMail, lookup: SenderLookup): Promise<Owner | null> {
    if (mail.from === null) return null;
    const auth = app.auth;
    const role = auth.roleField === null ? `'default'` : quoteIdentifier(auth.roleField);
    const column = quoteIdentifier(lookup.column);
    const rows = await this.query(
      app,
      `SELECT ${quoteIdentifier(auth.idField)} AS id, ${role} AS role FROM ${quoteIdentifier(auth.usersTable)} WHERE ${lookup.lowerCase ? `LOWER(${column})` : column} = ? LIMIT 1`,
      [lookup.valueOf(mail.from)],
    );
    const row = rows[0];
    if (row === undefined) return null;
    this.logger.debug(`${app.name}: ${mail.from} is user ${String(row.id)}`);
    return { id: String(row.id), role: typeof row.role === 'string' ? row.role : 'default' };
  }
}
