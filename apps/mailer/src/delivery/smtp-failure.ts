/** What a failed send means for the message: try again later, or never. */
export interface SmtpFailure {
  permanent: boolean;
  /** For last_error: the SMTP reply or the connection error, no credentials. */
  message: string;
}

/** Errors nodemailer raises about the message itself, before any server said a word. */
const PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE']);

/**
 * A 5xx reply is permanent (dead at once); a 4xx reply, a connection, TLS or timeout error is
 * temporary (retried with backoff). nodemailer puts the reply code in `responseCode`.
 */
export const classifySmtpFailure = (error: unknown): SmtpFailure => {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    responseCode?: unknown;
    code?: unknown;
    response?: unknown;
    message?: unknown;
  };
  const reply = typeof e.responseCode === 'number' ? e.responseCode : null;
  const text =
    typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : String(error);
  const code = typeof e.code === 'string' ? e.code : null;
  const message = code === null ? text : `${code}: ${text}`;
  if (reply !== null) return { permanent: reply >= 500, message };
  return { permanent: code !== null && PERMANENT_CODES.has(code), message };
};
