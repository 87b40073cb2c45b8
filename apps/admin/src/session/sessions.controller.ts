import { Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SessionsService, type SessionsView } from './sessions.service.js';

/** Signed-in admin sessions: a super_admin sees and ends anyone's, others their own. */
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @Render('sessions')
  list(@Req() request: FastifyRequest): SessionsView {
    return this.sessions.view(request);
  }

  @Post(':id/revoke')
  async revoke(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
  ): Promise<void> {
    await reply.redirect(this.sessions.revoke(request, id), 303);
  }
}
