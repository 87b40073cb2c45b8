import { SogomsError } from '@sogoms/common';

/** A 429 whose Retry-After (seconds, at least 1) the error filter sends as a header. */
export const tooManyRequests = (message: string, untilMs: number, now: number): SogomsError =>
  new SogomsError('TOO_MANY_REQUESTS', message, {
    retry_after: Math.max(1, Math.ceil((untilMs - now) / 1000)),
  });
