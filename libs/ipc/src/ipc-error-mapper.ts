import { SogomsError } from '@sogoms/common';
import { TimeoutError } from 'rxjs';

/** Error codes of node and NATS clients that mean "the peer cannot be reached". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'ECONNRESET',
  'EPIPE',
  'ENOTCONN',
  'CONNECTION_REFUSED',
  '503',
]);

/**
 * Error classes (by name: neither is exported) meaning the same: the NATS client's
 * ConnectionError, and Nest's EmptyResponseException (no one subscribes to the NATS subject).
 */
const UNREACHABLE_ERROR_NAMES = new Set(['ConnectionError', 'EmptyResponseException']);

/**
 * Any error a caller can see from a transport, as the SogomsError it stands for: a remote
 * error body keeps its code, message and details; anything unknown becomes a generic INTERNAL
 * (its text may hold internals and is never passed on).
 */
export const toSogomsError = (error: unknown): SogomsError => {
  if (error instanceof SogomsError) return error;
  if (SogomsError.isBody(error)) return SogomsError.fromBody(error);
  if (error instanceof TimeoutError) return new SogomsError('TIMEOUT', 'IPC call timed out');
  if (
    error instanceof Error &&
    (UNREACHABLE_ERROR_NAMES.has(error.name) || UNREACHABLE_ERROR_NAMES.has(error.constructor.name))
  ) {
    return new SogomsError('UNAVAILABLE', 'Service is unavailable');
  }
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if ((typeof code === 'string' || typeof code === 'number') && UNREACHABLE_CODES.has(String(code))) {
      return new SogomsError('UNAVAILABLE', 'Service is unavailable');
    }
  }
  return new SogomsError('INTERNAL', 'Internal error');
};
