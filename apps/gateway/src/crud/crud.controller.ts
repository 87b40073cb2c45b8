import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { TokenClaims } from '@sogoms/auth';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, ok, type SuccessEnvelope } from '@sogoms/common';
import type { FastifyReply } from 'fastify';
import { Caller } from '../auth/caller.decorator.js';
import { OptionalAuthGuard } from '../auth/optional-auth.guard.js';
import type { CrudRow } from '../extensions/crud-hooks.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { CurrentApp } from '../http/current-app.decorator.js';
import { APP_ROUTE_PREFIX } from '../http/routed-request.js';
import { CrudService, type Query as ListQueryInput } from './crud.service.js';

type CallerClaims = TokenClaims | null;

/**
 * The generated REST API of every app: one generic controller whose `:table` resolves against
 * the request's snapshot (routes cannot be added after listen). Static routes (auth, _schema,
 * _openapi.json, ...) win over `:table` in Fastify's router, so a table cannot shadow them.
 * A token is optional here: each table's access rules decide what an anonymous caller may do.
 */
@Controller(APP_ROUTE_PREFIX)
@UseGuards(OptionalAuthGuard)
export class CrudController {
  constructor(private readonly crud: CrudService) {}

  @Get(':table')
  async list(
    @CurrentApp() app: AppRuntime,
    @Param('table') table: string,
    @Query() query: ListQueryInput,
    @Caller() caller: CallerClaims,
  ): Promise<SuccessEnvelope<CrudRow[]>> {
    return this.crud.list(app, table, query, caller).then((answer) => ok(answer.rows, answer.meta));
  }

  @Get(':table/:id')
  async read(
    @CurrentApp() app: AppRuntime,
    @Param('table') table: string,
    @Param('id') id: string,
    @Query() query: ListQueryInput,
    @Caller() caller: CallerClaims,
  ): Promise<SuccessEnvelope<CrudRow>> {
    return ok(await this.crud.read(app, table, id, query, caller));
  }

  @Post(':table')
  @HttpCode(201)
  async create(
    @CurrentApp() app: AppRuntime,
    @Param('table') table: string,
    @Body() body: unknown,
    @Caller() caller: CallerClaims,
    @Headers(IDEMPOTENCY_KEY_HEADER) idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SuccessEnvelope<CrudRow | CrudRow[]>> {
    // Without the header nothing changes: not one statement more.
    if (idempotencyKey === undefined) return ok(await this.crud.create(app, table, body, caller));
    const answer = await this.crud.createOnce(app, table, body, caller, idempotencyKey);
    if (answer.replayed) void reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return ok(answer.data);
  }

  @Patch(':table/:id')
  async patch(
    @CurrentApp() app: AppRuntime,
    @Param('table') table: string,
    @Param('id') id: string,
    @Body() body: unknown,
    @Caller() caller: CallerClaims,
  ): Promise<SuccessEnvelope<CrudRow>> {
    return ok(await this.crud.update(app, table, id, body, caller, 'patch'));
  }

  @Put(':table/:id')
  async replace(
    @CurrentApp() app: AppRuntime,
    @Param('table') table: string,
    @Param('id') id: string,
    @Body() body: unknown,
    @Caller() caller: CallerClaims,
  ): Promise<SuccessEnvelope<CrudRow>> {
    return ok(await this.crud.update(app, table, id, body, caller, 'replace'));
  }

  @Delete(':table/:id')
  async remove(
    @CurrentApp() app: AppRuntime,
    @Param('table') table: string,
    @Param('id') id: string,
    @Caller() caller: CallerClaims,
  ): Promise<SuccessEnvelope<CrudRow>> {
    return ok(await this.crud.remove(app, table, id, caller));
  }
}
