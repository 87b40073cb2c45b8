import { Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequiresApp } from '../auth/access.decorators.js';
import { JobsService, type JobsView } from './jobs.service.js';

/** An app's cron jobs: next runs and history; trigger, pause, resume. */
@Controller('apps/:app/jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @RequiresApp('cron', 'read')
  @Get()
  @Render('jobs')
  list(@Param('app') app: string): Promise<JobsView> {
    return this.jobs.view(app);
  }

  @RequiresApp('cron', 'write')
  @Post(':job/trigger')
  async trigger(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('app') app: string,
    @Param('job') job: string,
  ): Promise<void> {
    await reply.redirect(await this.jobs.trigger(request, app, job), 303);
  }

  @RequiresApp('cron', 'write')
  @Post(':job/pause')
  async pause(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('app') app: string,
    @Param('job') job: string,
  ): Promise<void> {
    await reply.redirect(await this.jobs.pause(request, app, job, true), 303);
  }

  @RequiresApp('cron', 'write')
  @Post(':job/resume')
  async resume(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('app') app: string,
    @Param('job') job: string,
  ): Promise<void> {
    await reply.redirect(await this.jobs.pause(request, app, job, false), 303);
  }
}
