import { Controller, Delete, Get, Param, UseGuards } from '@nestjs/common';
import type { TokenClaims } from '@sogoms/auth';
import { ok, type SuccessEnvelope } from '@sogoms/common';
import { CurrentApp } from '../http/current-app.decorator.js';
import { APP_ROUTE_PREFIX } from '../http/routed-request.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { Caller } from './caller.decorator.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { SessionsService, type SessionInfo } from './sessions.service.js';

/** The caller's own sessions (refresh-token families). */
@Controller(`${APP_ROUTE_PREFIX}/auth/sessions`)
@UseGuards(JwtAuthGuard)
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  async list(
    @CurrentApp() app: AppRuntime,
    @Caller() caller: TokenClaims,
  ): Promise<SuccessEnvelope<{ sessions: SessionInfo[] }>> {
    return ok(await this.sessions.list(app, caller, Date.now()));
  }

  @Delete(':id')
  async end(
    @CurrentApp() app: AppRuntime,
    @Caller() caller: TokenClaims,
    @Param('id') id: string,
  ): Promise<SuccessEnvelope<{ id: string }>> {
    return ok(await this.sessions.end(app, caller, id, Date.now()));
  }
}
