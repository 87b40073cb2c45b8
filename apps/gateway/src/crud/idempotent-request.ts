import { createHash } from 'node:crypto';
import type { TokenClaims } from '@sogoms/auth';
import { idempotencyKeyProblem, isRecord, SogomsError } from '@sogoms/common';

/**
 * A create sent with an `Idempotency-Key`: the key in its scope (the app, the table, the caller's
 * user id; anonymous callers share the empty one) and the hash of the body it came with.
 */
export interface IdempotentRequest {
  app: string;
  table: string;
  caller: string;
  key: string;
  /** SHA-256 (hex) of the body as canonical JSON: keys sorted, no spaces. */
  hash: string;
}

/** The body as JSON with every object's keys in order: two sendings of one body hash alike. */
const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
};

/** The request of a create with the header's value; a malformed key is a 400 IDEMPOTENCY_KEY_INVALID. */
export const idempotentRequest = (
  app: string,
  table: string,
  caller: TokenClaims | null,
  key: string,
  body: unknown,
): IdempotentRequest => {
  const problem = idempotencyKeyProblem(key);
  if (problem !== null)
    throw new SogomsError('IDEMPOTENCY_KEY_INVALID', `Idempotency-Key ${problem}`, {
      'Idempotency-Key': [problem],
    });
  return {
    app,
    table,
    caller: caller === null ? '' : caller.sub,
    key,
    hash: createHash('sha256').update(canonicalJson(body)).digest('hex'),
  };
};
