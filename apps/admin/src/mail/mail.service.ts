import { Inject, Injectable } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import {
  IpcClient,
  ipcClientToken,
  MAIL_STATES,
  MAILER_PATTERNS,
  type MailMessageStatus,
  type MailState,
} from '@sogoms/ipc';
import type { FastifyRequest } from 'fastify';
import { AuditLog } from '../audit/audit-log.js';

export interface MailQueueView {
  app: string;
  state: MailState | null;
  states: readonly MailState[];
  messages: MailMessageStatus[];
  note: string | null;
}

/** The app's outgoing mail through the mailer: the queue by state, one message, retry, cancel. */
@Injectable()
export class MailService {
  constructor(
    @Inject(ipcClientToken('mailer')) private readonly mailer: IpcClient,
    private readonly audit: AuditLog,
  ) {}

  async queue(app: string, query: Record<string, unknown>): Promise<MailQueueView> {
    const state = MAIL_STATES.includes(query.state as MailState) ? (query.state as MailState) : null;
    try {
      const messages = await this.mailer.call<MailMessageStatus[]>(MAILER_PATTERNS.list, {
        app,
        limit: 100,
        ...(state === null ? {} : { state }),
      });
      return { app, state, states: MAIL_STATES, messages, note: null };
    } catch (error) {
      // An app without smtp: has no queue: an empty page saying so, not an error.
      if (error instanceof SogomsError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST'))
        return { app, state, states: MAIL_STATES, messages: [], note: error.message };
      throw error;
    }
  }

  async message(app: string, id: string): Promise<{ app: string; message: MailMessageStatus }> {
    return {
      app,
      message: await this.mailer.call<MailMessageStatus>(MAILER_PATTERNS.status, { app, id: Number(id) }),
    };
  }

  async retry(request: FastifyRequest, app: string, id: string): Promise<string> {
    return this.act(request, app, id, 'retry');
  }

  async cancel(request: FastifyRequest, app: string, id: string): Promise<string> {
    return this.act(request, app, id, 'cancel');
  }

  private async act(
    request: FastifyRequest,
    app: string,
    id: string,
    action: 'retry' | 'cancel',
  ): Promise<string> {
    const before = await this.mailer.call<MailMessageStatus>(MAILER_PATTERNS.status, { app, id: Number(id) });
    const after = await this.mailer.call<MailMessageStatus>(MAILER_PATTERNS[action], { app, id: Number(id) });
    this.audit.record(request, {
      action: `mail.${action}`,
      app,
      before: { id, state: before.state },
      after: { id, state: after.state },
    });
    return `/apps/${app}/mail/${id}?notice=${encodeURIComponent(`${action}: now ${after.state}`)}`;
  }
}
