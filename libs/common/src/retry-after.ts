import { isRecord } from './is-record.js';
import type { ErrorBody } from './sogoms-error.js';

/**
 * An error that is worth retrying soon carries `details.retry_after_s` (the db service's busy
 * budget does); the gateway sends it as the `Retry-After` header. Null: no such hint.
 */
export const retryAfterSecondsOf = (body: ErrorBody): number | null => {
  const details = body.details;
  if (!isRecord(details)) return null;
  const seconds = details.retry_after_s;
  return typeof seconds === 'number' && Number.isSafeInteger(seconds) && seconds >= 0 ? seconds : null;
};
