import { HttpException } from '@nestjs/common';
import { SogomsError, errorCodeForStatus, type ErrorBody } from '@sogoms/common';

/** Fastify's own client errors, worded for people (its messages name internals). */
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported content type: send application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Request body length does not match Content-Length',
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request body is too large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Request body is empty but Content-Type is application/json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'Malformed JSON body',
};

const fastifyCode = (error: HttpException): string | undefined => {
  const cause = error.cause;
  if (typeof cause !== 'object' || cause === null) return undefined;
  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
};

/** Whatever was thrown, as a stable error body and an HTTP status; `null` means an unexpected fault. */
export const toErrorBody = (error: unknown): ErrorBody | null => {
  if (error instanceof SogomsError) return error.toBody();
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = errorCodeForStatus(status);
    // A 500 (or an unknown 5xx) is an unexpected fault: the filter logs it and hides its message.
    if (code === undefined || code === 'INTERNAL')
      return status >= 500 ? null : { code: 'BAD_REQUEST', message: 'Bad request' };
    const known = fastifyCode(error);
    if (known !== undefined && FASTIFY_MESSAGES[known] !== undefined)
      return { code, message: FASTIFY_MESSAGES[known] };
    if (error.cause instanceof SyntaxError) return { code, message: 'Malformed JSON body' };
    if (status === 404) return { code, message: 'Not found' };
    if (status === 405) return { code, message: 'Method not allowed' };
    return { code, message: error.message };
  }
  return null;
};
