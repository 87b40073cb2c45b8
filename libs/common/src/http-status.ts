import { ERROR_CODES, type ErrorCode } from './error-code.js';

/** One HTTP error status: the codes it carries (the first is its own) and how the API documents it. */
export interface HttpErrorStatus {
  status: number;
  /** OpenAPI response component name. */
  name: string;
  codes: readonly ErrorCode[];
  description: string;
}

/**
 * The one table where a stable error code becomes an HTTP status. The gateway's error mapper,
 * the IPC error filter and the OpenAPI error responses are all derived from it.
 */
export const HTTP_ERROR_STATUSES: readonly HttpErrorStatus[] = [
  {
    status: 400,
    name: 'BadRequest',
    codes: ['BAD_REQUEST', 'VALIDATION_FAILED', 'INVALID_TOKEN', 'IDEMPOTENCY_KEY_INVALID'],
    description:
      'Invalid input; VALIDATION_FAILED details map each field or parameter to its problems; INVALID_TOKEN: a reset or verification token that is unknown, used or expired; IDEMPOTENCY_KEY_INVALID: an Idempotency-Key header that is empty, longer than 255 characters or not printable ASCII',
  },
  {
    status: 401,
    name: 'Unauthorized',
    codes: ['UNAUTHORIZED'],
    description:
      'Missing, malformed or expired token; bad credentials; an unknown, used or revoked refresh token',
  },
  {
    status: 403,
    name: 'Forbidden',
    codes: ['FORBIDDEN', 'EMAIL_NOT_VERIFIED'],
    description:
      'The token does not allow this (EMAIL_NOT_VERIFIED: the account must verify its email first)',
  },
  { status: 404, name: 'NotFound', codes: ['NOT_FOUND'], description: 'No such row (or not yours)' },
  {
    status: 405,
    name: 'MethodNotAllowed',
    codes: ['METHOD_NOT_ALLOWED'],
    description: 'The route exists but not for this method',
  },
  {
    status: 409,
    name: 'Conflict',
    codes: ['CONFLICT', 'CONSTRAINT'],
    description: 'A unique key (CONFLICT) or a foreign key (CONSTRAINT) refused the write',
  },
  {
    status: 410,
    name: 'Gone',
    codes: ['IDEMPOTENT_ROW_GONE'],
    description:
      'The Idempotency-Key was used before, but the rows that request created can no longer be read (deleted since): nothing was created again',
  },
  {
    status: 413,
    name: 'PayloadTooLarge',
    codes: ['PAYLOAD_TOO_LARGE'],
    description: 'The body is too large',
  },
  {
    status: 415,
    name: 'UnsupportedMediaType',
    codes: ['UNSUPPORTED_MEDIA_TYPE'],
    description: 'The body is not application/json',
  },
  {
    status: 422,
    name: 'UnprocessableContent',
    codes: ['IDEMPOTENCY_KEY_REUSED'],
    description:
      'The Idempotency-Key was used before with a different body (by the same user, on the same table): nothing was created',
  },
  {
    status: 429,
    name: 'TooManyRequests',
    codes: ['TOO_MANY_REQUESTS'],
    description: 'Too many requests (failed logins, a rate limit): wait the Retry-After header’s seconds',
  },
  {
    status: 500,
    name: 'Internal',
    codes: ['INTERNAL', 'DECRYPTION_FAILED'],
    description:
      'An error on our side; details carry a reference (DECRYPTION_FAILED: a stored encrypted value did not decrypt)',
  },
  {
    status: 503,
    name: 'Unavailable',
    codes: ['UNAVAILABLE'],
    description:
      'The database service is not reachable, or busy (then with a Retry-After header: no connection became free in time)',
  },
  { status: 504, name: 'Timeout', codes: ['TIMEOUT'], description: 'The database did not answer in time' },
];

const STATUS_BY_CODE = new Map<ErrorCode, number>(
  HTTP_ERROR_STATUSES.flatMap(({ status, codes }) => codes.map((code) => [code, status] as const)),
);
const CODE_BY_STATUS = new Map<number, ErrorCode>(HTTP_ERROR_STATUSES.map((s) => [s.status, s.codes[0]]));

/** Codes the table forgot: the spec keeps this empty. */
export const codesWithoutStatus = (): ErrorCode[] => ERROR_CODES.filter((code) => !STATUS_BY_CODE.has(code));

/** The HTTP status of a stable error code. */
export const httpStatusFor = (code: ErrorCode): number => STATUS_BY_CODE.get(code) ?? 500;

/** The stable code an HTTP status stands for (a Nest or Fastify exception's), or undefined. */
export const errorCodeForStatus = (status: number): ErrorCode | undefined => CODE_BY_STATUS.get(status);

/** The table's row for a status; throws for a status the table does not have (a programming error). */
export const httpErrorStatus = (status: number): HttpErrorStatus => {
  const row = HTTP_ERROR_STATUSES.find((s) => s.status === status);
  if (row === undefined) throw new Error(`no error status ${status} in HTTP_ERROR_STATUSES`);
  return row;
};
