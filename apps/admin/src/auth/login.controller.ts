import { Body, Controller, Get, HttpCode, Post, Render, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from './access.decorators.js';
import { LoginService } from './login.service.js';

/** The sign-in pages: username and password, then the TOTP code when the user has one. */
@Controller()
export class LoginController {
  constructor(private readonly login: LoginService) {}

  @Public()
  @Get('login')
  @Render('login')
  form(): object {
    return { form: { username: '' }, errors: {} };
  }

  @Public()
  @Post('login')
  async submit(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    await reply.redirect(await this.login.password(request, body), 303);
  }

  @Public()
  @Get('login/totp')
  @Render('login-totp')
  totpForm(): object {
    return { errors: {} };
  }

  @Public()
  @Post('login/totp')
  async totp(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    await reply.redirect(await this.login.totp(request, body), 303);
  }

  @Post('logout')
  @HttpCode(303)
  async logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.login.logout(request);
    await reply.redirect('/login', 303);
  }
}
