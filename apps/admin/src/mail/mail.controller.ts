import { Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequiresApp } from '../auth/access.decorators.js';
import { MailService, type MailQueueView } from './mail.service.js';

/** An app's outgoing mail: the queue by state, one message; retry and cancel. */
@Controller('apps/:app/mail')
export class MailController {
  constructor(private readonly mail: MailService) {}

  @RequiresApp('emails', 'read')
  @Get()
  @Render('mail')
  queue(@Param('app') app: string, @Query() query: Record<string, unknown>): Promise<MailQueueView> {
    return this.mail.queue(app, query);
  }

  @RequiresApp('emails', 'read')
  @Get(':id')
  @Render('mail-message')
  message(@Param('app') app: string, @Param('id') id: string): Promise<object> {
    return this.mail.message(app, id);
  }

  @RequiresApp('emails', 'write')
  @Post(':id/retry')
  async retry(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('app') app: string,
    @Param('id') id: string,
  ): Promise<void> {
    await reply.redirect(await this.mail.retry(request, app, id), 303);
  }

  @RequiresApp('emails', 'write')
  @Post(':id/cancel')
  async cancel(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('app') app: string,
    @Param('id') id: string,
  ): Promise<void> {
    await reply.redirect(await this.mail.cancel(request, app, id), 303);
  }
}
