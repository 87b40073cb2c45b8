import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { TokenClaims } from '@sogoms/auth';
import { ok, type SuccessEnvelope } from '@sogoms/common';
import { CurrentApp } from '../http/current-app.decorator.js';
import { APP_ROUTE_PREFIX } from '../http/routed-request.js';
import { validatedBody } from '../http/validated-body.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { CHANGE_BODY, EMAIL_BODY, RESET_BODY } from './account.dto.js';
import { Caller } from './caller.decorator.js';
import { Client, type ClientInfo } from './client-info.decorator.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { PasswordService } from './password.service.js';
import type { Session } from './sessions.service.js';

@Controller(`${APP_ROUTE_PREFIX}/auth/password`)
export class PasswordController {
  constructor(private readonly passwords: PasswordService) {}

  @Post('forgot')
  @HttpCode(202)
  async forgot(
    @CurrentApp() app: AppRuntime,
    @Body() body: unknown,
    @Client() client: ClientInfo,
  ): Promise<SuccessEnvelope<{ message: string }>> {
    return ok(await this.passwords.forgot(app, validatedBody(EMAIL_BODY, body), client));
  }

  @Post('reset')
  @HttpCode(200)
  async reset(
    @CurrentApp() app: AppRuntime,
    @Body() body: unknown,
  ): Promise<SuccessEnvelope<{ password_reset: true }>> {
    return ok(await this.passwords.reset(app, validatedBody(RESET_BODY, body)));
  }

  @Post()
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  async change(
    @CurrentApp() app: AppRuntime,
    @Caller() caller: TokenClaims,
    @Body() body: unknown,
    @Client() client: ClientInfo,
  ): Promise<SuccessEnvelope<Session>> {
    return ok(await this.passwords.change(app, caller, validatedBody(CHANGE_BODY, body), client));
  }
}
