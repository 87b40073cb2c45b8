import type { ErrorBody } from './sogoms-error.js';

export interface ListMeta {
  total?: number;
  limit: number;
  offset: number;
}

export interface SuccessEnvelope<T> {
  success: true;
  data: T;
  meta?: ListMeta;
}

export interface ErrorEnvelope {
  success: false;
  error: { code: ErrorBody['code']; message: string; details: unknown };
}

export const ok = <T>(data: T, meta?: ListMeta): SuccessEnvelope<T> =>
  meta === undefined ? { success: true, data } : { success: true, data, meta };

export const fail = (error: ErrorBody): ErrorEnvelope => ({
  success: false,
  error: { code: error.code, message: error.message, details: error.details ?? null },
});
