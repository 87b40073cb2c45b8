import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { fail } from '@sogoms/common';
import type { FastifyInstance } from 'fastify';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../core/gateway-options.js';
import { RequestRateLimiter } from './request-rate-limiter.js';

/** Paths never limited: the supervisor's health checks. */
const EXEMPT = /^\/health(?:\/|$|\?)/;

/**
 * sogoms.yaml `gateway.rate_limit`: a per-IP request limit in front of every app, answered in
 * Fastify's onRequest hook (before routing, body parsing or any database work) with the usual
 * 429 envelope and Retry-After. Off by default; the client's IP follows `gateway.trust_proxy`.
 */
@Injectable()
export class RateLimitHook implements OnModuleInit {
  constructor(
    private readonly adapter: HttpAdapterHost,
    @Inject(GATEWAY_OPTIONS) private readonly options: GatewayOptions,
  ) {}

  onModuleInit(): void {
    const settings = this.options.global.gateway.rateLimit;
    const http = this.adapter.httpAdapter as { getInstance?: () => FastifyInstance } | undefined;
    if (!settings.enabled || http?.getInstance === undefined) return;
    const limiter = new RequestRateLimiter(settings.requests, settings.windowS * 1000);
    http.getInstance().addHook('onRequest', (request, reply, done) => {
      if (EXEMPT.test(request.url)) return done();
      const retryAfter = limiter.take(request.ip, Date.now());
      if (retryAfter === 0) return done();
      void reply
        .status(429)
        .header('retry-after', String(retryAfter))
        .send(
          fail({
            code: 'TOO_MANY_REQUESTS',
            message: 'Too many requests: slow down',
            details: { retry_after: retryAfter },
          }),
        );
    });
  }
}
