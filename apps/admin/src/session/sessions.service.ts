import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import type { FastifyRequest } from 'fastify';
import { AuditLog } from '../audit/audit-log.js';
import { AdminSessionStore, type SessionSummary } from './admin-session-store.js';

/** A session as the page shows it: by a digest of its id, never the id (the cookie's value) itself. */
export interface SessionRow extends Omit<SessionSummary, 'id'> {
  ref: string;
  current: boolean;
}

export interface SessionsView {
  sessions: SessionRow[];
}

const refOf = (id: string): string => createHash('sha256').update(id).digest('base64url').slice(0, 16);

@Injectable()
export class SessionsService {
  constructor(
    private readonly store: AdminSessionStore,
    private readonly audit: AuditLog,
  ) {}

  view(request: FastifyRequest): SessionsView {
    return {
      sessions: this.visible(request).map(({ id, ...row }) => ({
        ...row,
        ref: refOf(id),
        current: id === request.session.sessionId,
      })),
    };
  }

  revoke(request: FastifyRequest, ref: string): string {
    const target = this.visible(request).find((session) => refOf(session.id) === ref);
    if (target === undefined)
      throw new SogomsError('NOT_FOUND', 'No such session (it may have ended already).');
    this.store.revoke(target.id);
    this.audit.record(request, {
      action: 'session.revoke',
      before: { username: target.username, ip: target.ip },
    });
    return target.id === request.session.sessionId ? '/login' : '/sessions?notice=session%20ended';
  }

  private visible(request: FastifyRequest): SessionSummary[] {
    const user = request.adminUser;
    const all = this.store.list();
    return user?.role === 'super_admin' ? all : all.filter((session) => session.username === user?.username);
  }
}
