import { Body, Controller, Get, HttpCode, Ip, Post, UseGuards } from '@nestjs/common';
import type { TokenClaims } from '@sogoms/auth';
import { ok, type SuccessEnvelope } from '@sogoms/common';
import { validatedBody } from '../http/validated-body.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { CurrentApp } from '../http/current-app.decorator.js';
import { APP_ROUTE_PREFIX } from '../http/routed-request.js';
import { AuthService, type PublicUser, type Session } from './auth.service.js';
import { LOGIN_BODY, REGISTER_BODY } from './credentials.dto.js';
import { Caller } from './caller.decorator.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';

@Controller(`${APP_ROUTE_PREFIX}/auth`)
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @HttpCode(201)
  async register(@CurrentApp() app: AppRuntime, @Body() body: unknown): Promise<SuccessEnvelope<Session>> {
    return ok(await this.auth.register(app, validatedBody(REGISTER_BODY, body)));
  }

  @Post('login')
  @HttpCode(200)
  async login(
    @CurrentApp() app: AppRuntime,
    @Body() body: unknown,
    @Ip() ip: string,
  ): Promise<SuccessEnvelope<Session>> {
    return ok(await this.auth.login(app, validatedBody(LOGIN_BODY, body), ip));
  }

  @Get('me')
  @UseGuards(JwtAuthGuard)
  async me(
    @CurrentApp() app: AppRuntime,
    @Caller() caller: TokenClaims,
  ): Promise<SuccessEnvelope<{ user: PublicUser }>> {
    return ok(await this.auth.me(app, caller));
  }
}
