import { Module, type DynamicModule } from '@nestjs/common';
import { PasswordHasher, TokenService } from '@sogoms/auth';
import { LogReporter } from '@sogoms/ipc';
import { AdminGuard } from './admin/admin.guard.js';
import { SchemaAdminController } from './admin/schema-admin.controller.js';
import { SchemaAdminService } from './admin/schema-admin.service.js';
import { ApiDocsService } from './api-docs/api-docs.service.js';
import { OpenApiController } from './api-docs/openapi.controller.js';
import { SchemaController } from './api-docs/schema.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthService } from './auth/auth.service.js';
import { JwtAuthGuard } from './auth/jwt-auth.guard.js';
import { CrudController } from './crud/crud.controller.js';
import { CrudService } from './crud/crud.service.js';
import { HealthController } from './health/health.controller.js';
import { CustomRouteController } from './extensions/custom-route.controller.js';
import { CustomRouteService } from './extensions/custom-route.service.js';
import { DbClient } from './ipc/db.client.js';
import { GatewayState } from './snapshot/gateway-state.js';
import { RoutingFallbackController } from './routing/routing-fallback.controller.js';
import { ScenarioRunner } from './scenarios/scenario-runner.js';

/** What main.ts builds before Nest starts: the loaded config and the IPC clients. */
export interface GatewayDependencies {
  state: GatewayState;
  db: DbClient;
  logs: LogReporter;
}

/** The gateway process: everything it runs, in one list. */
@Module({})
export class GatewayModule {
  static register(deps: GatewayDependencies): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [
        HealthController,
        AuthController,
        RoutingFallbackController,
        // Generic `:table` routes: Fastify's router prefers static segments, so any static route wins.
        CrudController,
        SchemaAdminController,
        SchemaController,
        OpenApiController,
        CustomRouteController,
      ],
      providers: [
        { provide: GatewayState, useValue: deps.state },
        { provide: DbClient, useValue: deps.db },
        { provide: LogReporter, useValue: deps.logs },
        { provide: PasswordHasher, useValue: new PasswordHasher() },
        { provide: TokenService, useValue: new TokenService() },
        AuthService,
        ScenarioRunner,
        JwtAuthGuard,
        CrudService,
        AdminGuard,
        SchemaAdminService,
        ApiDocsService,
        CustomRouteService,
      ],
    };
  }
}
