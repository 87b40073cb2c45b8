import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { RENDER_METADATA } from '@nestjs/common/constants.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { PageContext } from './page-context.js';

/** Adds `page` (user, CSRF token, apps) to what a @Render handler returns. */
@Injectable()
export class PageInterceptor implements NestInterceptor {
  constructor(private readonly pages: PageContext) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // Only pages: the health probe and redirects get nothing (and no session).
    if (Reflect.getMetadata(RENDER_METADATA, context.getHandler()) === undefined) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return next
      .handle()
      .pipe(
        map((data: unknown) =>
          data !== null && typeof data === 'object' && !Array.isArray(data)
            ? { ...data, page: this.pages.of(request, reply) }
            : data,
        ),
      );
  }
}
