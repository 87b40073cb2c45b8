import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ok, type SuccessEnvelope } from '@sogoms/common';
import { CurrentApp } from '../http/current-app.decorator.js';
import { APP_ROUTE_PREFIX } from '../http/routed-request.js';
import { validatedBody } from '../http/validated-body.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { EMAIL_BODY, TOKEN_BODY } from './account.dto.js';
import { Client, type ClientInfo } from './client-info.decorator.js';
import { EmailVerificationService } from './email-verification.service.js';

@Controller(`${APP_ROUTE_PREFIX}/auth/verify`)
export class VerificationController {
  constructor(private readonly verification: EmailVerificationService) {}

  @Post()
  @HttpCode(200)
  async verify(
    @CurrentApp() app: AppRuntime,
    @Body() body: unknown,
  ): Promise<SuccessEnvelope<{ verified: true }>> {
    return ok(await this.verification.verify(app, validatedBody(TOKEN_BODY, body)));
  }

  @Post('resend')
  @HttpCode(202)
  async resend(
    @CurrentApp() app: AppRuntime,
    @Body() body: unknown,
    @Client() client: ClientInfo,
  ): Promise<SuccessEnvelope<{ message: string }>> {
    return ok(await this.verification.resend(app, validatedBody(EMAIL_BODY, body), client));
  }
}
