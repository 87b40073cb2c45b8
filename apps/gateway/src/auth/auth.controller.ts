import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { TokenClaims } from '@sogoms/auth';
import { ok, type SuccessEnvelope } from '@sogoms/common';
import { validatedBody } from '../http/validated-body.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { CurrentApp } from '../http/current-app.decorator.js';
import { APP_ROUTE_PREFIX } from '../http/routed-request.js';
import { REFRESH_BODY } from './account.dto.js';
import { AuthService, type PendingVerification } from './auth.service.js';
import { Caller } from './caller.decorator.js';
import { Client, type ClientInfo } from './client-info.decorator.js';
import { LOGIN_BODY, REGISTER_BODY } from './credentials.dto.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { SessionsService, type Session } from './sessions.service.js';
import type { PublicUser } from './user-row.js';

@Controller(`${APP_ROUTE_PREFIX}/auth`)
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
  ) {}

  @Post('register')
  @HttpCode(201)
  async register(
    @CurrentApp() app: AppRuntime,
    @Body() body: unknown,
    @Client() client: ClientInfo,
  ): Promise<SuccessEnvelope<Session | PendingVerification>> {
    return ok(await this.auth.register(app, validatedBody(REGISTER_BODY, body), client));
  }

  @Post('login')
  @HttpCode(200)
  async login(
    @CurrentApp() app: AppRuntime,
    @Body() body: unknown,
    @Client() client: ClientInfo,
  ): Promise<SuccessEnvelope<Session>> {
    return ok(await this.auth.login(app, validatedBody(LOGIN_BODY, body), client));
  }

  @Post('refresh')
  @HttpCode(200)
  async refresh(
    @CurrentApp() app: AppRuntime,
    @Body() body: unknown,
    @Client() client: ClientInfo,
  ): Promise<SuccessEnvelope<Session>> {
    return ok(
      await this.sessions.refresh(app, validatedBody(REFRESH_BODY, body).refresh_token, client, Date.now()),
    );
  }

  @Post('logout')
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  async logout(
    @CurrentApp() app: AppRuntime,
    @Caller() caller: TokenClaims,
  ): Promise<SuccessEnvelope<{ sessions_ended: number }>> {
    return ok(await this.sessions.logout(app, caller, Date.now()));
  }

  @Post('logout-all')
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  async logoutAll(
    @CurrentApp() app: AppRuntime,
    @Caller() caller: TokenClaims,
  ): Promise<SuccessEnvelope<{ sessions_ended: number }>> {
    return ok(await this.sessions.logoutAll(app, caller, Date.now()));
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
