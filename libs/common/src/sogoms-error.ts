import { isErrorCode, type ErrorCode } from './error-code.js';

/** The wire shape of an error: what crosses IPC and what the HTTP envelope carries. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** A domain error with a stable code. Messages are for people and never carry SQL or stacks. */
export class SogomsError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'SogomsError';
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static isBody(value: unknown): value is ErrorBody {
    if (typeof value !== 'object' || value === null) return false;
    const body = value as Record<string, unknown>;
    return isErrorCode(body.code) && typeof body.message === 'string';
  }

  static fromBody(body: ErrorBody): SogomsError {
    return new SogomsError(body.code, body.message, body.details);
  }
}
