import { Controller, Get, Inject, Res } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import type { FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../core/gateway-options.js';
import { CurrentApp } from '../http/current-app.decorator.js';
import { APP_ROUTE_PREFIX } from '../http/routed-request.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { PUSH_DEMO_SCRIPT, PUSH_DEMO_STYLE, pushDemoPage } from './push-demo.page.js';

/** Only what the page loads; its own script may only talk to this origin and a WebSocket. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; form-action 'self'";

/**
 * `{base}/_push/demo` of an app with `push:`: log in, subscribe over WebSocket, see its events
 * live. mqtt's browser build comes from the installed package (no CDN), read once.
 */
@Controller(`${APP_ROUTE_PREFIX}/_push`)
export class PushDemoController {
  private mqttBundle: Buffer | undefined;

  constructor(@Inject(GATEWAY_OPTIONS) private readonly options: GatewayOptions) {}

  @Get('demo')
  page(@CurrentApp() app: AppRuntime, @Res({ passthrough: true }) reply: FastifyReply): string {
    if (app.config.push === null) throw new SogomsError('NOT_FOUND', 'This app publishes no events');
    void reply.header('content-type', 'text/html; charset=utf-8').header('content-security-policy', CSP);
    return pushDemoPage(app.config.name, this.options.global.push.wsPort);
  }

  @Get('demo.js')
  script(@Res({ passthrough: true }) reply: FastifyReply): string {
    void reply.header('content-type', 'application/javascript; charset=utf-8');
    return PUSH_DEMO_SCRIPT;
  }

  @Get('demo.css')
  style(@Res({ passthrough: true }) reply: FastifyReply): string {
    void reply.header('content-type', 'text/css; charset=utf-8');
    return PUSH_DEMO_STYLE;
  }

  @Get('mqtt.min.js')
  mqtt(@Res({ passthrough: true }) reply: FastifyReply): Buffer {
    this.mqttBundle ??= readFileSync(createRequire(import.meta.url).resolve('mqtt/dist/mqtt.min'));
    void reply
      .header('content-type', 'application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400');
    return this.mqttBundle;
  }
}
