import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ServiceMetrics } from '@sogoms/metrics';
import { DB_CONNECTION, type DbConnection } from '../ipc/db-connection.js';
import { HttpMetrics } from './http-metrics.js';

/**
 * The gateway's own metrics: HTTP requests (HttpMetrics, hooked into Fastify by main.ts) and,
 * with `transport.kind: inprocess`, the db module's pools, which then live in this process.
 */
@Module({ providers: [HttpMetrics], exports: [HttpMetrics] })
export class GatewayMetricsModule implements OnModuleInit {
  constructor(
    private readonly metrics: ServiceMetrics,
    @Inject(DB_CONNECTION) private readonly db: DbConnection,
  ) {}

  onModuleInit(): void {
    this.db.registerMetrics(this.metrics.registry);
  }
}
