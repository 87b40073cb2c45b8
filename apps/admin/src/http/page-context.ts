import { Injectable } from '@nestjs/common';
import { canAccessApp, type AdminUser } from '@sogoms/admin-users';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminSettings } from '../admin-settings.js';

/** What every page's layout needs: who is signed in, the CSRF token, the apps they may open. */
export interface PageInfo {
  user: AdminUser | null;
  isSuper: boolean;
  csrf: string;
  apps: string[];
  path: string;
  notice: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the access guard for a signed-in session. */
    adminUser?: AdminUser;
  }
}

@Injectable()
export class PageContext {
  constructor(private readonly settings: AdminSettings) {}

  of(request: FastifyRequest, reply: FastifyReply): PageInfo {
    const user = request.adminUser ?? null;
    const query = request.query as Record<string, unknown> | undefined;
    const notice = typeof query?.notice === 'string' ? query.notice.slice(0, 300) : null;
    return {
      user,
      isSuper: user?.role === 'super_admin',
      // One secret per session (@fastify/csrf-protection); each page gets a fresh token of it.
      csrf: reply.generateCsrf(),
      apps:
        user === null
          ? []
          : this.settings.apps().flatMap((app) => (canAccessApp(user, app.name) ? [app.name] : [])),
      path: request.url.split('?')[0] ?? '/',
      notice,
    };
  }
}
