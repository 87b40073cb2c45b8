import { Controller, Get, Param, Res, UseGuards } from '@nestjs/common';
import type { TokenClaims } from '@sogoms/auth';
import { SogomsError } from '@sogoms/common';
import type { FastifyReply } from 'fastify';
import { Caller } from '../auth/caller.decorator.js';
import { OptionalAuthGuard } from '../auth/optional-auth.guard.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { CurrentApp } from '../http/current-app.decorator.js';
import { APP_ROUTE_PREFIX } from '../http/routed-request.js';
import { ApiDocsService } from './api-docs.service.js';
import { SwaggerUiAssets } from './swagger-ui-assets.js';

/**
 * `{base}/_openapi.json` and the Swagger UI page `{base}/_docs`: public with `docs: public` in
 * app.yaml, else they need a valid token (a token that is present must be valid either way). The
 * UI's own files (`{base}/_docs/*.js|css|png`, the same for every app, nothing about the app) are
 * always public.
 */
@Controller(APP_ROUTE_PREFIX)
export class OpenApiController {
  private readonly assets = new SwaggerUiAssets();

  constructor(private readonly docs: ApiDocsService) {}

  @Get('_openapi.json')
  @UseGuards(OptionalAuthGuard)
  document(
    @CurrentApp() app: AppRuntime,
    @Caller() caller: TokenClaims | null,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): string {
    this.docs.checkDocsAccess(app, caller);
    void reply.header('content-type', 'application/json; charset=utf-8');
    return this.docs.openApiJson(app);
  }

  @Get('_docs')
  @UseGuards(OptionalAuthGuard)
  page(
    @CurrentApp() app: AppRuntime,
    @Caller() caller: TokenClaims | null,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): string {
    this.docs.checkDocsAccess(app, caller);
    void reply.header('content-type', 'text/html; charset=utf-8');
    return this.assets.page(`${app.config.name} API`);
  }

  @Get('_docs/:file')
  asset(@Param('file') file: string, @Res({ passthrough: true }) reply: FastifyReply): Buffer {
    const asset = this.assets.get(file);
    if (asset === undefined) throw new SogomsError('NOT_FOUND', 'Not found');
    void reply.header('content-type', asset.type).header('cache-control', 'public, max-age=86400');
    return asset.body;
  }
}
