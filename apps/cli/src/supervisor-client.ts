import { relative } from 'node:path';
import { ControlClient } from '@sogoms/ipc';
import { isRecord } from '@sogoms/common';
import { CliFailure, EXIT } from './cli-context.js';

/** How long the CLI waits for a quick answer (status, a reload after a config write). */
export const SHORT_TIMEOUT_MS = 10_000;
/** A restart waits for the graceful stop and for the service to be healthy again; stop for all of them. */
export const LONG_TIMEOUT_MS = 120_000;

/**
 * What came of asking the supervisor to reload: `reloaded` with the services it signalled;
 * `not_running` when no supervisor listens (fine: the next start reads the new files);
 * `refused` when it answered with an error (a config problem, say), `message` saying why;
 * `failed` when the socket misbehaved (no answer in time, not JSON).
 */
export type ReloadRequestResult =
  | { status: 'reloaded'; services: string[] }
  | { status: 'not_running' }
  | { status: 'refused'; message: string }
  | { status: 'failed'; message: string };

/** A path relative to the working directory when it is below it: shorter in messages. */
const shown = (path: string): string => {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
};

/**
 * The supervisor's control socket, `{run_dir}/sogoctl.sock`: one JSON request per line, one JSON
 * answer per line; the CLI's failures (exit codes) on top of ControlClient.
 */
export class SupervisorClient extends ControlClient {
  /**
   * Sends one request and returns the `data` of a success. A refusal or a broken exchange is a
   * CliFailure with exit 1; no supervisor is exit 2 (the command could not run at all).
   */
  async call(request: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    const answer = await this.send(request, timeoutMs);
    if (answer.kind === 'not_running')
      throw new CliFailure(
        `the supervisor is not running (${answer.why} at ${shown(this.socketPath)}); start it with npm start`,
        EXIT.error,
      );
    if (answer.kind === 'failed') throw new CliFailure(answer.message, EXIT.failed);
    const body = answer.body;
    if (isRecord(body) && body.success === true) return body.data;
    const error = isRecord(body) && isRecord(body.error) ? body.error : {};
    throw new CliFailure(
      typeof error.message === 'string' ? error.message : 'the supervisor refused the request',
      EXIT.failed,
    );
  }

  /** Asks a running supervisor to reload (`{"cmd":"reload"}`) after the CLI changed config files. */
  async requestReload(timeoutMs: number = SHORT_TIMEOUT_MS): Promise<ReloadRequestResult> {
    const answer = await this.send({ cmd: 'reload' }, timeoutMs);
    if (answer.kind === 'not_running') return { status: 'not_running' };
    if (answer.kind === 'failed') return { status: 'failed', message: answer.message };
    const body = answer.body;
    if (isRecord(body) && body.success === true) {
      const data = isRecord(body.data) ? body.data : {};
      const services = Array.isArray(data.services)
        ? data.services.flatMap((service: unknown) =>
            isRecord(service) && typeof service.name === 'string' ? [service.name] : [],
          )
        : [];
      return { status: 'reloaded', services };
    }
    const error = isRecord(body) && isRecord(body.error) ? body.error : {};
    return {
      status: 'refused',
      message: typeof error.message === 'string' ? error.message : 'the supervisor refused the reload',
    };
  }
}

/** One line for the user about a reload request. */
export const describeReload = (result: ReloadRequestResult): string => {
  switch (result.status) {
    case 'reloaded':
      return result.services.length > 0
        ? `reloaded: ${result.services.join(', ')}`
        : 'reload requested (no service takes a reload signal)';
    case 'not_running':
      return 'the supervisor is not running: the new files are read at the next start';
    case 'refused':
      return `the supervisor refused the reload: ${result.message}`;
    case 'failed':
      return `could not ask the supervisor to reload: ${result.message}`;
  }
};
