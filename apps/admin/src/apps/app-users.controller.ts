import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequiresApp } from '../auth/access.decorators.js';
import { AppCatalogService } from './app-catalog.service.js';
import { AppUsersService, type AppUsersView } from './app-users.service.js';

/** An app's own users: list and search, create, set role, disable. */
@Controller('apps/:app/users')
export class AppUsersController {
  constructor(
    private readonly users: AppUsersService,
    private readonly catalog: AppCatalogService,
  ) {}

  @RequiresApp('users', 'read')
  @Get()
  @Render('app-users')
  list(@Param('app') app: string, @Query() query: Record<string, unknown>): Promise<AppUsersView> {
    return this.users.view(this.catalog.app(app), query);
  }

  @RequiresApp('users', 'write')
  @Post()
  async create(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('app') app: string,
    @Body() body: unknown,
  ): Promise<void> {
    await reply.redirect(await this.users.create(request, this.catalog.app(app), body), 303);
  }

  @RequiresApp('users', 'write')
  @Post(':id/role')
  async role(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('app') app: string,
    @Param('id') id: string,
    @Body() body: { role?: unknown },
  ): Promise<void> {
    await reply.redirect(await this.users.setRole(request, this.catalog.app(app), id, body.role), 303);
  }

  @RequiresApp('users', 'write')
  @Post(':id/disable')
  async disable(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('app') app: string,
    @Param('id') id: string,
    @Body() body: { disabled?: unknown },
  ): Promise<void> {
    await reply.redirect(
      await this.users.setDisabled(request, this.catalog.app(app), id, body.disabled !== '0'),
      303,
    );
  }
}
