import { SogomsError, type ErrorEnvelope, type SuccessEnvelope } from '@sogoms/common';

/**
 * The control socket speaks newline-delimited JSON: one request object per line, one response
 * per request, in order. Responses use the common envelope (`{success, data}` / `{success, error}`).
 */
export type ControlRequest =
  { cmd: 'status' } | { cmd: 'restart'; service: string } | { cmd: 'reload' } | { cmd: 'stop' };

export type ControlResponse = SuccessEnvelope<unknown> | ErrorEnvelope;

/** Longest request line accepted; requests are tiny, so anything longer is not a client of ours. */
export const MAX_REQUEST_BYTES = 64 * 1024;

export const CONTROL_COMMANDS = ['status', 'restart', 'reload', 'stop'] as const;

export const parseControlRequest = (line: string): ControlRequest => {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new SogomsError('BAD_REQUEST', 'request is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SogomsError('BAD_REQUEST', 'request must be a JSON object with a "cmd"');
  }
  const request = value as Record<string, unknown>;
  switch (request.cmd) {
    case 'status':
    case 'reload':
    case 'stop':
      return { cmd: request.cmd };
    case 'restart':
      if (typeof request.service !== 'string' || request.service === '') {
        throw new SogomsError('BAD_REQUEST', 'restart needs "service": the name of a service');
      }
      return { cmd: 'restart', service: request.service };
    default:
      throw new SogomsError('BAD_REQUEST', `unknown cmd; expected one of ${CONTROL_COMMANDS.join(', ')}`);
  }
};
