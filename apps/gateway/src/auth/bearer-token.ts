import { SogomsError } from '@sogoms/common';
import type { FastifyRequest } from 'fastify';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

/**
 * The JWT of `Authorization: Bearer <token>`, or undefined without the header. A header that is
 * present must be well formed, even where a token is optional.
 */
export const bearerTokenOf = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = BEARER.exec(header.trim());
  if (match === null)
    throw new SogomsError('UNAUTHORIZED', 'Malformed Authorization header: expected Bearer <token>');
  return match[1];
};
