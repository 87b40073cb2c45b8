import { Module, type DynamicModule } from '@nestjs/common';
import { MetricsModule } from '@sogoms/metrics';
import { SchemaAdminModule } from './admin/schema-admin.module.js';
import { ApiDocsModule } from './api-docs/api-docs.module.js';
import { AuthModule } from './auth/auth.module.js';
import { GATEWAY_OPTIONS, type GatewayOptions } from './core/gateway-options.js';
import { CrudModule } from './crud/crud.module.js';
import { ExtensionsModule } from './extensions/extensions.module.js';
import { HealthModule } from './health/health.module.js';
import { GatewayMetricsModule } from './metrics/gateway-metrics.module.js';
import { GatewayIpcModule } from './ipc/gateway-ipc.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { PushModule } from './push/push.module.js';
import { RoutingModule } from './routing/routing.module.js';
import { SnapshotModule } from './snapshot/snapshot.module.js';

/**
 * The gateway process. Its peers (IPC) and the apps' snapshot are global; each feature module
 * holds its controllers. The generic `:table` routes need no ordering: Fastify's router prefers
 * static segments, so any static route wins.
 */
@Module({})
export class GatewayModule {
  static forRoot(options: GatewayOptions): DynamicModule {
    return {
      module: GatewayModule,
      global: true,
      imports: [
        MetricsModule.forService('gateway', options.global),
        GatewayIpcModule.forRoot(options),
        GatewayMetricsModule,
        SnapshotModule,
        HealthModule,
        RateLimitModule,
        RoutingModule,
        AuthModule,
        CrudModule,
        SchemaAdminModule,
        ApiDocsModule,
        ExtensionsModule,
        PushModule,
      ],
      providers: [{ provide: GATEWAY_OPTIONS, useValue: options }],
      exports: [GATEWAY_OPTIONS],
    };
  }
}
