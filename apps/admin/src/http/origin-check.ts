import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendErrorPage } from './error-page.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The scheme and host a same-origin browser request names: the request's own. */
const ownOrigin = (request: FastifyRequest): string => `${request.protocol}://${request.host}`;

const originOf = (value: string): string | null => {
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
};

/**
 * A state-changing request must come from our own pages: its Origin (or, when a browser leaves
 * that out, its Referer) must be the admin's own origin. Checked before the CSRF token, so a
 * cross-site form is refused even with a leaked token.
 */
export const originCheck = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
  if (SAFE_METHODS.has(request.method)) return;
  const header = request.headers.origin ?? request.headers.referer;
  const origin = typeof header === 'string' ? originOf(header) : null;
  if (origin === ownOrigin(request)) return;
  await sendErrorPage(
    reply,
    403,
    origin === null
      ? 'A change must come from an admin page (the request had no Origin or Referer header).'
      : 'This request came from another site.',
  );
};
