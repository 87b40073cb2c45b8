import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ok, type SuccessEnvelope } from '@sogoms/common';
import type { FastifyRequest } from 'fastify';
import { validatedBody } from '../http/validated-body.js';
import type { AppRuntime } from '../routing/app-runtime.js';
import { CurrentApp } from '../routing/current-app.decorator.js';
import { APP_ROUTE_PREFIX } from '../routing/host-rewrite.js';
import { AuthService, type PublicUser, type Session } from './auth.service.js';
import { LOGIN_BODY, REGISTER_BODY } from './credentials.dto.js';
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
    @Req() request: FastifyRequest,
  ): Promise<SuccessEnvelope<Session>> {
    return ok(await this.auth.login(app, validatedBody(LOGIN_BODY, body), request.ip));
  }

  @Get('me')
  @UseGuards(JwtAuthGuard)
  async me(
    @CurrentApp() app: AppRuntime,
    @Req() request: FastifyRequest,
  ): Promise<SuccessEnvelope<{ user: PublicUser }>> {
    return ok(await this.auth.me(app, request.auth!));
  }
}
