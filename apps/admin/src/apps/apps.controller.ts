import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequiresApp, SuperAdminOnly } from '../auth/access.decorators.js';
import { AppCatalogService, type AppDetail } from './app-catalog.service.js';
import { AppCreateForm } from './app-create.form.js';
import { AppCreateService, type ConnectionResult } from './app-create.service.js';
import { AppSchemaService, type ScanOutcome, type SchemaStatus } from './app-schema.service.js';
import { AppSecretsService } from './app-secrets.service.js';

/** Apps: the list, a new app from an existing database, one app's dictionary, schema and secrets. */
@Controller('apps')
export class AppsController {
  constructor(
    private readonly catalog: AppCatalogService,
    private readonly creator: AppCreateService,
    private readonly schemas: AppSchemaService,
    private readonly secrets: AppSecretsService,
  ) {}

  @Get()
  @Render('apps')
  list(@Req() request: FastifyRequest): object {
    return this.catalog.list(request);
  }

  @SuperAdminOnly()
  @Get('new')
  @Render('app-new')
  newForm(): object {
    return { form: new AppCreateForm(), errors: {} };
  }

  @SuperAdminOnly()
  @Post('test-connection')
  @Render('connection-result')
  testConnection(@Body() body: unknown): Promise<ConnectionResult> {
    return this.creator.testConnection(body);
  }

  @SuperAdminOnly()
  @Post()
  async create(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    await reply.redirect(await this.creator.create(request, body), 303);
  }

  @RequiresApp('schema', 'read')
  @Get(':app')
  @Render('app-detail')
  detail(@Param('app') app: string): AppDetail {
    return this.catalog.detail(app);
  }

  @RequiresApp('schema', 'write')
  @Post(':app/scan')
  @Render('app-scan')
  scan(@Req() request: FastifyRequest, @Param('app') app: string): Promise<ScanOutcome> {
    return this.schemas.scan(request, this.catalog.app(app));
  }

  @RequiresApp('schema', 'read')
  @Get(':app/schema')
  @Render('app-schema')
  schema(@Param('app') app: string): Promise<SchemaStatus> {
    return this.schemas.status(this.catalog.app(app));
  }

  @RequiresApp('db', 'write')
  @Post(':app/migrate')
  async migrate(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('app') app: string,
    @Body() body: { plan?: unknown },
  ): Promise<void> {
    await reply.redirect(await this.schemas.migrate(request, this.catalog.app(app), body.plan), 303);
  }

  @SuperAdminOnly()
  @RequiresApp('schema', 'write')
  @Post(':app/secrets/jwt')
  async regenerateJwt(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('app') app: string,
  ): Promise<void> {
    await reply.redirect(await this.secrets.regenerateJwt(request, this.catalog.app(app)), 303);
  }
}
