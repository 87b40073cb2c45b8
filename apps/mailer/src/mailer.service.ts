import { Injectable } from '@nestjs/common';
import { isRecord, SogomsError } from '@sogoms/common';
import {
  MAIL_STATES,
  type MailBulkQueued,
  type MailMessageStatus,
  type MailQueued,
  type MailState,
  type RenderedMail,
} from '@sogoms/ipc';
import { MailWorker } from './delivery/mail-worker.js';
import { MailerSettings, type MailApp } from './mailer-settings.js';
import type { QueuedMessage } from './message/outgoing-message.js';
import { givenContentOf, payloadOf, queuedMessageOf } from './message/send-request.parser.js';
import { MailQueueRepository } from './queue/mail-queue.repository.js';
import { QueueDatabase } from './queue/queue-database.js';
import { TemplateFiles } from './templates/template-files.js';
import { TemplateRenderer } from './templates/template-renderer.js';

const MAX_BULK = 10_000;
const MAX_LIST = 500;
const HEALTH_TIMEOUT_MS = 1000;

const invalid = (field: string, message: string): SogomsError =>
  new SogomsError('VALIDATION_FAILED', `${field}: ${message}`, { field });

const varsOf = (value: unknown, field = 'vars'): Record<string, unknown> => {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw invalid(field, 'a mapping is required');
  return value;
};

const langOf = (value: unknown, vars: Record<string, unknown>): string | null => {
  const lang = value ?? vars.lang;
  if (lang === undefined || lang === null) return null;
  if (typeof lang !== 'string') throw invalid('lang', 'a language tag such as fr or fr-CA is required');
  return lang;
};

const idOf = (value: unknown): number => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw invalid('id', 'a positive integer is required');
  return value;
};

/** The mailer's actions: every payload is checked here; nothing is queued unless all of it is valid. */
@Injectable()
export class MailerService {
  constructor(
    private readonly settings: MailerSettings,
    private readonly queue: MailQueueRepository,
    private readonly files: TemplateFiles,
    private readonly renderer: TemplateRenderer,
    private readonly worker: MailWorker,
    private readonly db: QueueDatabase,
  ) {}

  async send(payload: unknown): Promise<MailQueued> {
    const request = payloadOf(payload);
    const app = this.settings.mailApp(request.app);
    const [queued] = await this.enqueue(app, [queuedMessageOf(app, request, givenContentOf(request))]);
    return queued;
  }

  async sendTemplate(payload: unknown): Promise<MailQueued> {
    const request = payloadOf(payload);
    const app = this.settings.mailApp(request.app);
    const content = this.render(app, request.template, varsOf(request.vars), request.lang);
    const [queued] = await this.enqueue(app, [queuedMessageOf(app, request, content)]);
    return queued;
  }

  async sendBulk(payload: unknown): Promise<MailBulkQueued> {
    const request = payloadOf(payload);
    const app = this.settings.mailApp(request.app);
    const shared = varsOf(request.vars);
    const recipients = request.recipients;
    if (!Array.isArray(recipients) || recipients.length === 0 || recipients.length > MAX_BULK)
      throw invalid('recipients', `a list of 1 to ${MAX_BULK} recipients is required`);
    const messages = recipients.map((recipient: unknown, i): QueuedMessage => {
      const field = `recipients[${i}]`;
      if (!isRecord(recipient)) throw invalid(field, 'a mapping with to is required');
      const vars = { ...shared, ...varsOf(recipient.vars, `${field}.vars`) };
      const content = this.render(app, request.template, vars, recipient.lang);
      return queuedMessageOf(
        app,
        { ...recipient, attachments: undefined, headers: undefined },
        content,
        `${field}.`,
      );
    });
    const queued = await this.enqueue(app, messages);
    return { ids: queued.map((q) => q.id), created: queued.filter((q) => q.created).length };
  }

  preview(payload: unknown): RenderedMail {
    const request = payloadOf(payload);
    const app = this.settings.mailApp(request.app);
    return this.render(app, request.template, varsOf(request.vars), request.lang);
  }

  status(payload: unknown): Promise<MailMessageStatus> {
    const request = payloadOf(payload);
    return this.queue.status(this.settings.mailApp(request.app), idOf(request.id));
  }

  list(payload: unknown): Promise<MailMessageStatus[]> {
    const request = payloadOf(payload);
    const app = this.settings.mailApp(request.app);
    const state = request.state ?? null;
    if (state !== null && !MAIL_STATES.includes(state as MailState))
      throw invalid('state', `one of ${MAIL_STATES.join(', ')} is required`);
    const since =
      request.since === undefined
        ? null
        : typeof request.since === 'string'
          ? Date.parse(request.since)
          : NaN;
    if (since !== null && Number.isNaN(since)) throw invalid('since', 'an ISO 8601 date is required');
    const limit = request.limit ?? 50;
    if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST)
      throw invalid('limit', `an integer from 1 to ${MAX_LIST} is required`);
    return this.queue.list(app, { state: state as MailState | null, since, limit });
  }

  async retry(payload: unknown): Promise<MailMessageStatus> {
    const request = payloadOf(payload);
    const status = await this.queue.retry(this.settings.mailApp(request.app), idOf(request.id), Date.now());
    this.worker.wake();
    return status;
  }

  cancel(payload: unknown): Promise<MailMessageStatus> {
    const request = payloadOf(payload);
    return this.queue.cancel(this.settings.mailApp(request.app), idOf(request.id), Date.now());
  }

  /** Healthy only while the db service answers: without it nothing can be queued. */
  async health(): Promise<{ ok: true }> {
    if (!(await this.db.reachable(HEALTH_TIMEOUT_MS)))
      throw new SogomsError('UNAVAILABLE', 'The mailer cannot reach the database service');
    return { ok: true };
  }

  private render(
    app: MailApp,
    template: unknown,
    vars: Record<string, unknown>,
    lang: unknown,
  ): RenderedMail {
    if (typeof template !== 'string') throw invalid('template', 'a template name is required');
    return this.renderer.render(this.files.read(app, template, langOf(lang, vars)), vars);
  }

  private async enqueue(app: MailApp, messages: QueuedMessage[]): Promise<MailQueued[]> {
    const queued = await this.queue.enqueue(app, messages, Date.now());
    this.worker.wake();
    return queued;
  }
}
