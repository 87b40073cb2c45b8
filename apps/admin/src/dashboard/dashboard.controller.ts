import { Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SuperAdminOnly } from '../auth/access.decorators.js';
import { DashboardService, type DashboardView } from './dashboard.service.js';

/** The services the supervisor runs and the apps they serve. */
@Controller()
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @Render('dashboard')
  view(@Req() request: FastifyRequest): Promise<DashboardView> {
    return this.dashboard.view(request);
  }

  @SuperAdminOnly()
  @Post('services/:service/restart')
  async restart(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('service') service: string,
  ): Promise<void> {
    await reply.redirect(await this.dashboard.restart(request, service), 303);
  }

  @SuperAdminOnly()
  @Post('reload')
  async reload(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await reply.redirect(await this.dashboard.reload(request), 303);
  }
}
