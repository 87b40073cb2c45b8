import { Module } from '@nestjs/common';
import { RateLimitHook } from './rate-limit.hook.js';

/** The optional per-IP request limit (sogoms.yaml `gateway.rate_limit`). */
@Module({ providers: [RateLimitHook] })
export class RateLimitModule {}
