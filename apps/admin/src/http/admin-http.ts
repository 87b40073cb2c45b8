import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySession from '@fastify/session';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Eta } from 'eta';
import qs from 'qs';
import type { AdminSessionStore } from '../session/admin-session-store.js';
import { originCheck } from './origin-check.js';
import { securityHeaders } from './security-headers.js';

const SESSION_COOKIE = 'sogoms_admin';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const require = createRequire(import.meta.url);

/** Folders of the npm packages whose files the admin serves (no CDN). */
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

export interface AdminHttpOptions {
  projectRoot: string;
  sessions: AdminSessionStore;
  sessionIdleS: number;
}

/**
 * The admin's Fastify plugins, in order: forms, cookies, server-side sessions, CSRF tokens, the
 * login limiter's store, templates and static files; then the hooks every request passes: the
 * security headers, and for a change the Origin check and the CSRF token.
 */
export const installAdminHttp = async (
  app: NestFastifyApplication,
  options: AdminHttpOptions,
): Promise<void> => {
  const fastify: FastifyInstance = app.getHttpAdapter().getInstance();
  await app.register(fastifyFormbody, {
    parser: (body: string) => qs.parse(body, { depth: 3, arrayLimit: 200 }),
  });
  await app.register(fastifyCookie);
  // Added before the session plugin, so it runs before the plugin writes the cookie: its
  // `secure: 'auto'` turns SameSite into Lax over plain HTTP, and the admin wants Strict always.
  fastify.addHook('onSend', (request: FastifyRequest, _reply, payload, done) => {
    const cookie = (request as Partial<FastifyRequest>).session?.cookie;
    if (cookie !== undefined) cookie.sameSite = 'strict';
    done(null, payload);
  });
  await app.register(fastifySession, {
    cookieName: SESSION_COOKIE,
    // Sessions live in memory only: a new secret per start is enough, and leaks nowhere.
    secret: randomBytes(32).toString('base64url'),
    store: options.sessions,
    saveUninitialized: false,
    rolling: true,
    // Secure when the request came over HTTPS (itself, or the trusted proxy's X-Forwarded-Proto).
    cookie: {
      httpOnly: true,
      sameSite: 'strict',
      secure: 'auto',
      path: '/',
      maxAge: options.sessionIdleS * 1000,
    },
  });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session' });
  // Only the login limiter uses it (createRateLimit): counting is all it does here.
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyStatic, {
    root: [
      join(packageDir('@picocss/pico'), 'css'),
      join(packageDir('htmx.org'), 'dist'),
      join(options.projectRoot, 'apps/admin/assets'),
    ],
    prefix: '/assets/',
    decorateReply: false,
    maxAge: '1h',
  });
  app.setViewEngine({
    engine: { eta: new Eta({ views: join(options.projectRoot, 'apps/admin/views'), cache: true }) },
    templates: join(options.projectRoot, 'apps/admin/views'),
  });

  fastify.addHook('onRequest', securityHeaders);
  fastify.addHook('onRequest', originCheck);
  // preHandler: the body is parsed by then, so the form's `_csrf` field can be read.
  fastify.addHook(
    'preHandler',
    (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
      if (!UNSAFE_METHODS.has(request.method)) return done();
      fastify.csrfProtection(request, reply, done);
    },
  );
};
