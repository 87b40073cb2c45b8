import { Inject, Injectable } from '@nestjs/common';
import { LogReporter } from '@sogoms/ipc';
import type { FastifyRequest } from 'fastify';

/** The logs service's app for entries of no app; the audit page reads its `admin_audit` entries. */
export const AUDIT_APP = 'sogoms';
export const AUDIT_KIND = 'admin_audit';

export interface AuditRecord {
  /** What was done, e.g. `app.create`, `service.restart`, `login.failed`. */
  action: string;
  /** The app it concerns; null for the whole box. */
  app?: string | null;
  /** Values before and after a change (never a password or secret). */
  before?: unknown;
  after?: unknown;
  /** Who, when no one is signed in yet (a failed login names the username tried). */
  username?: string;
}

/**
 * Every admin action goes to the logs service: who, from where, what, which app, before and
 * after. Fire-and-forget like all logging: an audit entry never blocks the action, and when the
 * logs service is down it is counted as dropped (docs/admin.md says so).
 */
@Injectable()
export class AuditLog {
  constructor(@Inject(LogReporter) private readonly logs: LogReporter) {}

  record(request: FastifyRequest, entry: AuditRecord): void {
    const who = request.adminUser?.username ?? entry.username ?? null;
    this.logs.event(AUDIT_APP, AUDIT_KIND, entry.action, {
      who,
      ip: request.ip,
      app: entry.app ?? null,
      ...(entry.before === undefined ? {} : { before: entry.before }),
      ...(entry.after === undefined ? {} : { after: entry.after }),
    });
  }
}
