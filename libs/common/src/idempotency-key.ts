/**
 * The `Idempotency-Key` request header of `POST {base_path}/{table}` (docs/api.md): its name, and
 * what a key may be. One definition for the gateway, which checks it, and the mailer, which makes
 * keys for its rows.
 */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Answered on a create that was not made again but replayed from the first request. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/** Visible ASCII and the space: what any HTTP client sends unchanged and a log shows as it is. */
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** Why `key` is no valid key, or null when it is one (1–255 printable ASCII characters, not blank). */
export const idempotencyKeyProblem = (key: string): string | null => {
  if (key.trim() === '') return 'must not be empty';
  if (key.length > IDEMPOTENCY_KEY_MAX_LENGTH)
    return `must be at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`;
  if (!PRINTABLE_ASCII.test(key)) return 'must be printable ASCII (0x20–0x7E)';
  return null;
};
