import { Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ok, type SuccessEnvelope } from '@sogoms/common';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { CurrentApp } from '../http/current-app.decorator.js';
import { APP_ROUTE_PREFIX } from '../http/routed-request.js';
import { AdminGuard } from './admin.guard.js';
import { SchemaAdminService, type GeneratedSchema, type IntrospectedSchema } from './schema-admin.service.js';

/** `{base}/_admin/schema/...`: the app's database structure, for a token with role admin. */
@Controller(`${APP_ROUTE_PREFIX}/_admin/schema`)
@UseGuards(AdminGuard)
export class SchemaAdminController {
  constructor(private readonly schemas: SchemaAdminService) {}

  @Get('introspect')
  async introspect(@CurrentApp() app: AppRuntime): Promise<SuccessEnvelope<IntrospectedSchema>> {
    return ok(await this.schemas.introspect(app));
  }

  /** Scans, merges into schema.yaml, writes it and reloads the gateway. */
  @Post('generate')
  @HttpCode(200)
  async generate(@CurrentApp() app: AppRuntime): Promise<SuccessEnvelope<GeneratedSchema>> {
    return ok(await this.schemas.generate(app));
  }
}
