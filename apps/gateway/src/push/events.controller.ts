import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import type { TokenClaims } from '@sogoms/auth';
import { ok, type SuccessEnvelope } from '@sogoms/common';
import type { PushEventsPage } from '@sogoms/ipc';
import { Caller } from '../auth/caller.decorator.js';
import { JwtAuthGuard } from '../auth/jwt-auth.guard.js';
import { CurrentApp } from '../http/current-app.decorator.js';
import { APP_ROUTE_PREFIX } from '../http/routed-request.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { EventsService } from './events.service.js';

/** `GET {base}/_events?since={seq}`: catch-up for a client that was away longer than the broker kept its session. */
@Controller(APP_ROUTE_PREFIX)
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get('_events')
  @UseGuards(JwtAuthGuard)
  async after(
    @CurrentApp() app: AppRuntime,
    @Caller() caller: TokenClaims,
    @Query() query: Record<string, unknown>,
  ): Promise<SuccessEnvelope<PushEventsPage>> {
    return ok(await this.events.after(app, caller, query));
  }
}
