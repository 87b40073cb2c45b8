import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * No inline script or style anywhere (htmx is configured by a meta tag, not by script), so the
 * policy can be strict. Pages carry data: never cached.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

export const securityHeaders = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
  reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  reply.header('x-frame-options', 'DENY');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'same-origin');
  reply.header('cross-origin-opener-policy', 'same-origin');
  // Static files (Pico, htmx) may be cached; everything else is a page with data.
  if (!request.url.startsWith('/assets/')) reply.header('cache-control', 'no-store');
};
