import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { SogomsError } from '@sogoms/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The rule: 5 sign-in attempts per minute per IP and per username. */
const ATTEMPTS = 5;
const WINDOW_MS = 60_000;

type Limiter = (
  request: FastifyRequest,
) => Promise<{ isAllowed: boolean; isExceeded?: boolean; ttlInSeconds?: number }>;

/**
 * Counts sign-in attempts with @fastify/rate-limit's own store (createRateLimit), one counter per
 * IP and one per username. It answers by throwing TOO_MANY_REQUESTS, which the filter renders as a
 * 429 page with Retry-After — not the plugin's reply, which Nest 12 turns into a 500.
 */
@Injectable()
export class LoginLimiter {
  private limiters: { ip: Limiter; user: Limiter } | undefined;

  constructor(private readonly adapter: HttpAdapterHost) {}

  async check(request: FastifyRequest, username: string): Promise<void> {
    const { ip, user } = this.ready();
    // Both counters count the attempt, so neither a new username nor a new IP resets the other.
    const byIp = await ip(request);
    const byUser = await user(
      Object.assign(Object.create(request) as FastifyRequest, { adminLoginName: username }),
    );
    const exceeded = [byIp, byUser].filter((result) => result.isExceeded === true);
    if (exceeded.length === 0) return;
    const retryAfter = Math.max(...exceeded.map((result) => result.ttlInSeconds ?? 60));
    throw new SogomsError('TOO_MANY_REQUESTS', `Too many sign-in attempts. Try again in ${retryAfter} s.`, {
      retry_after: retryAfter,
    });
  }

  private ready(): { ip: Limiter; user: Limiter } {
    if (this.limiters === undefined) {
      const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>() as FastifyInstance & {
        createRateLimit(options: object): Limiter;
      };
      this.limiters = {
        ip: fastify.createRateLimit({
          max: ATTEMPTS,
          timeWindow: WINDOW_MS,
          keyGenerator: (r: FastifyRequest) => `ip:${r.ip}`,
        }),
        user: fastify.createRateLimit({
          max: ATTEMPTS,
          timeWindow: WINDOW_MS,
          keyGenerator: (r: FastifyRequest & { adminLoginName?: string }) =>
            `user:${(r.adminLoginName ?? '').toLowerCase()}`,
        }),
      };
    }
    return this.limiters;
  }
}
