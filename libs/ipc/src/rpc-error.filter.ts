import { Catch, HttpException, Logger, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { SogomsError, errorCodeForStatus, type ErrorBody } from '@sogoms/common';
import { throwError, type Observable } from 'rxjs';

const INTERNAL: ErrorBody = { code: 'INTERNAL', message: 'Internal error' };

/**
 * Turns whatever a microservice handler throws into the error body that crosses IPC:
 * SogomsError → its body; RpcException → its error; a Nest 4xx HttpException → the matching
 * code; anything else → `{code:'INTERNAL', message:'Internal error'}`, logged here with its
 * stack and never sent. Register with `app.useGlobalFilters(new RpcErrorFilter())`.
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger(RpcErrorFilter.name);

  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    const body = this.toBody(exception);
    return throwError(() => body);
  }

  private toBody(exception: unknown): unknown {
    if (exception instanceof SogomsError) return exception.toBody();
    if (exception instanceof RpcException) {
      const error = exception.getError();
      return typeof error === 'string' ? { code: 'INTERNAL', message: error } : error;
    }
    if (exception instanceof HttpException) {
      // Nest's own HttpExceptions (e.g. from ValidationPipe) keep their meaning across IPC; a 500 does not.
      const code = errorCodeForStatus(exception.getStatus());
      if (code !== undefined && code !== 'INTERNAL') {
        const response = exception.getResponse();
        // ValidationPipe puts its per-field messages in `message`; they are meant for callers.
        const details =
          typeof response === 'object' && Array.isArray((response as { message?: unknown }).message)
            ? (response as { message: unknown[] }).message
            : undefined;
        return details === undefined
          ? { code, message: exception.message }
          : { code, message: exception.message, details };
      }
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return INTERNAL;
  }
}
