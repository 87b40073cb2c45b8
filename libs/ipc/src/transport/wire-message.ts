import type { PacketMetadata } from '@nestjs/microservices';
import type { ErrorBody } from '@sogoms/common';

/**
 * The JSON objects inside frames. A request carries an `id` and gets one or more responses
 * with the same `id`; the last one has `isDisposed: true` (or `err`). An event has no `id`
 * and gets no answer. Patterns are strings (Nest's normalized form for object patterns).
 */
export interface WireRequest {
  id?: number | string;
  pattern: string;
  data: unknown;
  metadata?: PacketMetadata;
}

export interface WireResponse {
  id: number | string;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

const isId = (value: unknown): value is number | string =>
  typeof value === 'number' || typeof value === 'string';

export const isWireRequest = (value: unknown): value is WireRequest => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const message = value as Record<string, unknown>;
  if (typeof message.pattern !== 'string') return false;
  if (message.id !== undefined && !isId(message.id)) return false;
  return (
    message.metadata === undefined || (typeof message.metadata === 'object' && message.metadata !== null)
  );
};

export const isWireResponse = (value: unknown): value is WireResponse => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return isId((value as Record<string, unknown>).id);
};

/** Error bodies produced by the transport itself (not by a remote handler). */
export const transportErrors = {
  unavailable: (service: string, reason: string): ErrorBody => ({
    code: 'UNAVAILABLE',
    message: `Service '${service}' is unavailable (${reason})`,
  }),
  timeout: (pattern: string, timeoutMs: number): ErrorBody => ({
    code: 'TIMEOUT',
    message: `Call '${pattern}' got no answer within ${timeoutMs} ms`,
  }),
  tooLarge: (what: string, bytes: number, limit: number): ErrorBody => ({
    code: 'PAYLOAD_TOO_LARGE',
    message: `${what} of ${bytes} bytes exceeds the IPC frame limit of ${limit} bytes`,
  }),
  noHandler: (pattern: string): ErrorBody => ({
    code: 'NOT_FOUND',
    message: `No handler for pattern '${pattern}'`,
  }),
  unserializable: (): ErrorBody => ({ code: 'INTERNAL', message: 'Internal error' }),
};
