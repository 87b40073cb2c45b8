import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { httpStatusFor, SogomsError } from '@sogoms/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormRejected } from '../forms/form-rejected.js';
import { SignInRequired } from '../auth/sign-in-required.js';
import { sendErrorPage } from './error-page.js';
import { PageContext } from './page-context.js';

const CSRF_CODES = new Set(['FST_CSRF_INVALID_TOKEN', 'FST_CSRF_MISSING_SECRET']);

/**
 * Every failure becomes a page, never a stack trace: a refused form is shown again with its
 * errors (422), a missing session goes to the sign-in page, a SogomsError gets its code's
 * status, and anything unexpected is logged and shown as a plain 500.
 */
@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('admin');

  constructor(private readonly pages: PageContext) {}

  async catch(error: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (error instanceof SignInRequired) {
      // htmx follows HX-Redirect with a full page load; a plain browser follows the 303.
      if (request.headers['hx-request'] === 'true')
        await reply.code(401).header('hx-redirect', '/login').send();
      else await reply.code(303).redirect('/login');
      return;
    }
    if (error instanceof FormRejected) {
      await reply
        .code(422)
        .view(error.view, { ...error.model, errors: error.errors, page: this.pages.of(request, reply) });
      return;
    }
    const code = (error as { code?: unknown }).code;
    // Errors of hooks (the CSRF check) reach here as HttpExceptions made by Nest's Fastify adapter.
    const csrfRefused =
      (typeof code === 'string' && CSRF_CODES.has(code)) ||
      (error instanceof HttpException && error.getStatus() === 403 && /csrf/i.test(error.message));
    if (csrfRefused) {
      await sendErrorPage(
        reply,
        403,
        'The form was out of date or did not come from this admin (CSRF token missing or wrong). Reload the page and try again.',
      );
      return;
    }
    if (error instanceof SogomsError) {
      const status = httpStatusFor(error.code);
      if (status >= 500) this.logger.warn(`${request.method} ${request.url}: ${error.code} ${error.message}`);
      const retryAfter = (error.details as { retry_after?: unknown } | undefined)?.retry_after;
      if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
      await sendErrorPage(reply, status, `${error.message} (${error.code})`);
      return;
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      await sendErrorPage(reply, status, status === 404 ? `No page at ${request.url}.` : error.message);
      return;
    }
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      await sendErrorPage(reply, status, error instanceof Error ? error.message : 'Refused.');
      return;
    }
    this.logger.error(
      `${request.method} ${request.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    await sendErrorPage(reply, 500, 'Something went wrong; the admin logged it.');
  }
}
