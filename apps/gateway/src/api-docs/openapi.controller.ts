import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { TokenService } from '@sogoms/auth';
import { SogomsError } from '@sogoms/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { resolveCaller } from '../crud/crud-caller.js';
import type { AppRuntime } from '../routing/app-runtime.js';
import { CurrentApp } from '../routing/current-app.decorator.js';
import { APP_ROUTE_PREFIX } from '../routing/host-rewrite.js';
import { ApiDocsService } from './api-docs.service.js';
import { SwaggerUiAssets } from './swagger-ui-assets.js';

/**
 * `{base}/_openapi.json` and the Swagger UI page `{base}/_docs`: public with `docs: public` in
 * app.yaml, else they need a valid token. The UI's own files (`{base}/_docs/*.js|css|png`, the
 * same for every app, nothing about the app) are always public.
 */
@Controller(APP_ROUTE_PREFIX)
export class OpenApiController {
  private readonly assets = new SwaggerUiAssets();

  constructor(
    private readonly docs: ApiDocsService,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  @Get('_openapi.json')
  async document(
    @CurrentApp() app: AppRuntime,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    await this.checkAccess(app, request);
    void reply.header('content-type', 'application/json; charset=utf-8');
    return this.docs.openApiJson(app);
  }

  @Get('_docs')
  async page(
    @CurrentApp() app: AppRuntime,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    await this.checkAccess(app, request);
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

  private async checkAccess(app: AppRuntime, request: FastifyRequest): Promise<void> {
    if (app.config.docs === 'public') return;
    // A token that is present must be valid; without one, private docs are refused.
    if ((await resolveCaller(this.tokens, app, request)) === null)
      throw new SogomsError('UNAUTHORIZED', "Missing bearer token (this app's docs are private)");
  }
}
