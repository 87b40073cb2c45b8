import { randomUUID } from 'node:crypto';
import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { fail, httpStatusFor, retryAfterSecondsOf } from '@sogoms/common';
import { LogReporter } from '@sogoms/ipc';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RoutedRequest } from '../http/routed-request.js';
import { toErrorBody } from './http-error.mapper.js';

/**
 * Every error leaves the gateway in the one envelope. Expected errors keep their code; anything
 * else becomes a 500 that hides its cause but carries an id that is in the logs.
 */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger('Gateway');

  constructor(private readonly logs: LogReporter) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const body = toErrorBody(exception);
    if (body !== null) {
      const retryAfter = retryAfterSecondsOf(body);
      if (retryAfter !== null) void reply.header('Retry-After', String(retryAfter));
      void reply.status(httpStatusFor(body.code)).send(fail(body));
      return;
    }
    const errorId = randomUUID();
    const app = (request.raw as RoutedRequest).sogomsApp?.config.name ?? 'sogoms';
    const detail = exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
    this.logger.error(`${errorId} ${request.method} ${request.url}: ${detail}`);
    this.logs.error(app, 'http_5xx', 'Unexpected error', {
      error_id: errorId,
      method: request.method,
      path: request.url,
      error: detail,
    });
    void reply
      .status(500)
      .send(fail({ code: 'INTERNAL', message: 'Internal error', details: { error_id: errorId } }));
  }
}
