export { ERROR_CODES, isErrorCode, type ErrorCode } from './error-code.js';
export { SogomsError, type ErrorBody } from './sogoms-error.js';
export { ok, fail, type ListMeta, type SuccessEnvelope, type ErrorEnvelope } from './envelope.js';
export {
  HTTP_ERROR_STATUSES,
  codesWithoutStatus,
  errorCodeForStatus,
  httpErrorStatus,
  httpStatusFor,
  type HttpErrorStatus,
} from './http-status.js';
export { editDistance } from './edit-distance.js';
export { runInSlices, runSteps, type Steps } from './run-in-slices.js';
export { stopOnSignals } from './stop-on-signals.js';
export { isRecord } from './is-record.js';
export { isJsonSafe } from './json-safe.js';
export { retryAfterSecondsOf } from './retry-after.js';
export {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  IDEMPOTENT_REPLAYED_HEADER,
  idempotencyKeyProblem,
} from './idempotency-key.js';
export { blockedReason } from './outgoing-request/address-policy.js';
export {
  guardedRequest,
  RefusedAddressError,
  type GuardedRequest,
  type GuardedResponse,
} from './outgoing-request/guarded-request.js';
export { findProjectRoot } from './project-root.js';
export { START_AFTER_ENV, startAfterSockets, waitForStartDependencies } from './start-gate.js';
export { prettyLogRequested } from './logging/pretty-log-requested.js';
