import { Module } from '@nestjs/common';
import { RoutingFallbackController } from './routing-fallback.controller.js';

/** The answers for what host rewrite could not route: unknown host, outside the base path. */
@Module({ controllers: [RoutingFallbackController] })
export class RoutingModule {}
