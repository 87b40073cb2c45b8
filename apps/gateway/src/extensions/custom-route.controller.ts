import { All, Controller, Res, UseGuards } from '@nestjs/common';
import type { TokenClaims } from '@sogoms/auth';
import { ok, type SuccessEnvelope } from '@sogoms/common';
import type { FastifyReply } from 'fastify';
import { Caller } from '../auth/caller.decorator.js';
import { OptionalAuthGuard } from '../auth/optional-auth.guard.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { CurrentApp } from '../http/current-app.decorator.js';
import { CUSTOM_ROUTE } from '../http/routed-request.js';
import { RouteCall, type CustomRouteCall } from './custom-route-call.decorator.js';
import { CustomRouteService } from './custom-route.service.js';

/**
 * The one static route behind every scenario endpoint and module route: the host rewrite
 * matched the request against the app's CustomRouteTable and sends it here with the match.
 */
@Controller(CUSTOM_ROUTE.slice(1))
@UseGuards(OptionalAuthGuard)
export class CustomRouteController {
  constructor(private readonly routes: CustomRouteService) {}

  @All()
  async handle(
    @CurrentApp() app: AppRuntime,
    @RouteCall() call: CustomRouteCall,
    @Caller() caller: TokenClaims | null,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SuccessEnvelope<unknown>> {
    // An error answer sets its own status in the error filter.
    void reply.status(call.match.route.status);
    return ok(await this.routes.handle(app, call, caller));
  }
}
