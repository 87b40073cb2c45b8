import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { TokenService } from '@sogoms/auth';
import { ok, SogomsError, type SuccessEnvelope } from '@sogoms/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { resolveCaller } from '../crud/crud-caller.js';
import type { AppRuntime } from '../routing/app-runtime.js';
import { CurrentApp } from '../routing/current-app.decorator.js';
import { CUSTOM_ROUTE, type RoutedRequest } from '../routing/host-rewrite.js';
import { CustomRouteService } from './custom-route.service.js';

/**
 * The one static route behind every scenario endpoint and module route: the host rewrite
 * matched the request against the app's CustomRouteTable and sends it here with the match.
 */
@Controller(CUSTOM_ROUTE.slice(1))
export class CustomRouteController {
  constructor(
    private readonly routes: CustomRouteService,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  @All()
  async handle(
    @CurrentApp() app: AppRuntime,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SuccessEnvelope<unknown>> {
    const match = (request.raw as RoutedRequest).sogomsRoute;
    // Reached without a match only by asking for {base}/_custom itself.
    if (match === undefined) throw new SogomsError('NOT_FOUND', 'Not found');
    const caller = await resolveCaller(this.tokens, app, request);
    if (caller === null && !match.route.public) throw new SogomsError('UNAUTHORIZED', 'Missing bearer token');
    const url = request.originalUrl ?? request.url;
    const path = url.split('?')[0].slice(app.config.basePath.length);
    const data = await this.routes.handle(
      app,
      match,
      {
        method: request.method,
        path,
        query: (request.query ?? {}) as Record<string, unknown>,
        body: request.body,
        headers: request.headers,
      },
      caller,
    );
    void reply.status(match.route.status);
    return ok(data);
  }
}
