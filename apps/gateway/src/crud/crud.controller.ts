import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
} from '@nestjs/common';
import { TokenService } from '@sogoms/auth';
import { ok, type SuccessEnvelope } from '@sogoms/common';
import type { FastifyRequest } from 'fastify';
import type { CrudRow } from '../extensions/crud-hooks.js';
import type { AppRuntime } from '../routing/app-runtime.js';
import { CurrentApp } from '../routing/current-app.decorator.js';
import { APP_ROUTE_PREFIX } from '../routing/host-rewrite.js';
import { resolveCaller } from './crud-caller.js';
import { CrudService, type Query as ListQueryInput } from './crud.service.js';

/**
 * The generated REST API of every app: one generic controller whose `:table` resolves against
 * the request's snapshot (routes cannot be added after listen). Static routes (auth, _schema,
 * _openapi.json, ...) win over `:table` in Fastify's router, so a table cannot shadow them.
 */
@Controller(APP_ROUTE_PREFIX)
export class CrudController {
  constructor(
    private readonly crud: CrudService,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  @Get(':table')
  async list(
    @CurrentApp() app: AppRuntime,
    @Param('table') table: string,
    @Query() query: ListQueryInput,
    @Req() request: FastifyRequest,
  ): Promise<SuccessEnvelope<CrudRow[]>> {
    const answer = await this.crud.list(app, table, query, await resolveCaller(this.tokens, app, request));
    return ok(answer.rows, answer.meta);
  }

  @Get(':table/:id')
  async read(
    @CurrentApp() app: AppRuntime,
    @Param('table') table: string,
    @Param('id') id: string,
    @Query() query: ListQueryInput,
    @Req() request: FastifyRequest,
  ): Promise<SuccessEnvelope<CrudRow>> {
    return ok(await this.crud.read(app, table, id, query, await resolveCaller(this.tokens, app, request)));
  }

  @Post(':table')
  @HttpCode(201)
  async create(
    @CurrentApp() app: AppRuntime,
    @Param('table') table: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<SuccessEnvelope<CrudRow | CrudRow[]>> {
    return ok(await this.crud.create(app, table, body, await resolveCaller(this.tokens, app, request)));
  }

  @Patch(':table/:id')
  async patch(
    @CurrentApp() app: AppRuntime,
    @Param('table') table: string,
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<SuccessEnvelope<CrudRow>> {
    const caller = await resolveCaller(this.tokens, app, request);
    return ok(await this.crud.update(app, table, id, body, caller, 'patch'));
  }

  @Put(':table/:id')
  async replace(
    @CurrentApp() app: AppRuntime,
    @Param('table') table: string,
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<SuccessEnvelope<CrudRow>> {
    const caller = await resolveCaller(this.tokens, app, request);
    return ok(await this.crud.update(app, table, id, body, caller, 'replace'));
  }

  @Delete(':table/:id')
  async remove(
    @CurrentApp() app: AppRuntime,
    @Param('table') table: string,
    @Param('id') id: string,
    @Req() request: FastifyRequest,
  ): Promise<SuccessEnvelope<CrudRow>> {
    return ok(await this.crud.remove(app, table, id, await resolveCaller(this.tokens, app, request)));
  }
}
