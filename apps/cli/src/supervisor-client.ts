import { connect } from 'node:net';
import { join, relative } from 'node:path';
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

/** One exchange on the control socket; every outcome is a value, so callers decide what is fatal. */
export type ControlAnswer =
  | { kind: 'answer'; body: unknown }
  | { kind: 'not_running'; why: string }
  | { kind: 'failed'; message: string };

/** A path relative to the working directory when it is below it: shorter in messages. */
const shown = (path: string): string => {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
};

/**
 * The supervisor's control socket, `{run_dir}/sogoctl.sock`: one JSON request per line, one JSON
 * answer per line (the common envelope `{ success, data | error }`). The only client of it.
 */
export class SupervisorClient {
  readonly socketPath: string;

  constructor(runDir: string) {
    this.socketPath = join(runDir, 'sogoctl.sock');
  }

  /** Sends one request and waits for one answer line; never throws. */
  send(request: Record<string, unknown>, timeoutMs: number): Promise<ControlAnswer> {
    return new Promise((resolve) => {
      const socket = connect(this.socketPath);
      let buffered = '';
      let settled = false;
      const settle = (answer: ControlAnswer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        resolve(answer);
      };
      const timer = setTimeout(
        () =>
          settle({ kind: 'failed', message: `no answer from the supervisor within ${timeoutMs / 1000} s` }),
        timeoutMs,
      );
      socket.setEncoding('utf8');
      socket.once('connect', () => socket.write(`${JSON.stringify(request)}\n`));
      socket.on('data', (chunk: string) => {
        buffered += chunk;
        const newline = buffered.indexOf('\n');
        if (newline < 0) return;
        try {
          settle({ kind: 'answer', body: JSON.parse(buffered.slice(0, newline)) as unknown });
        } catch {
          settle({ kind: 'failed', message: 'the supervisor sent an answer that is not JSON' });
        }
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        // No socket file, or a stale one nobody listens on: no supervisor is running.
        if (error.code === 'ENOENT') settle({ kind: 'not_running', why: 'no control socket' });
        else if (error.code === 'ECONNREFUSED') settle({ kind: 'not_running', why: 'nobody answers' });
        else
          settle({
            kind: 'failed',
            message: `cannot talk to the supervisor: ${error.code ?? error.message}`,
          });
      });
      socket.once('close', () =>
        settle({ kind: 'failed', message: 'the supervisor closed the connection without answering' }),
      );
    });
  }

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
