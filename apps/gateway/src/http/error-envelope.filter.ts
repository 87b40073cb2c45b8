import { randomUUID } from 'node:crypto';
import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { fail, httpStatusFor, isRecord, retryAfterSecondsOf } from '@sogoms/common';
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
      // A 429 or a busy 503 says when to come back (seconds), as a header too.
      const retryAfter = isRecord(body.details) ? body.details.retry_after : undefined;
      const seconds = typeof retryAfter === 'number' ? retryAfter : retryAfterSecondsOf(body);
      if (seconds !== null) void reply.header('retry-after', String(seconds));
      // A stored value that did not decrypt is an incident: logged with table, field and row
      // (never the value), answered with its code rather than a stack.
      if (body.code === 'DECRYPTION_FAILED') {
        const app = (request.raw as RoutedRequest).sogomsApp?.config.name ?? 'sogoms';
        this.logs.error(app, 'decryption_failed', body.message, {
          ...(isRecord(body.details) ? body.details : {}),
          method: request.method,
          path: request.url,
        });
      }
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
