import { connect } from 'node:net';
import { join } from 'node:path';

/** How long the CLI waits for the supervisor's answer to a reload (it checks config first). */
const RELOAD_TIMEOUT_MS = 10_000;

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

/** The supervisor's control socket: `{run_dir}/sogoctl.sock`. */
export const controlSocketPath = (runDir: string): string => join(runDir, 'sogoctl.sock');

type ControlAnswer =
  { kind: 'answer'; body: unknown } | { kind: 'not_running' } | { kind: 'failed'; message: string };

/**
 * One request over the control socket: a JSON line out, one JSON line back (the common
 * envelope). Never throws: every outcome is a value, so callers decide what is fatal.
 */
export const sendControlRequest = (
  socketPath: string,
  request: Record<string, unknown>,
  timeoutMs: number,
): Promise<ControlAnswer> =>
  new Promise((resolve) => {
    const socket = connect(socketPath);
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
      () => settle({ kind: 'failed', message: `no answer from the supervisor within ${timeoutMs} ms` }),
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
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') settle({ kind: 'not_running' });
      else
        settle({ kind: 'failed', message: `cannot talk to the supervisor: ${error.code ?? error.message}` });
    });
    socket.once('close', () =>
      settle({ kind: 'failed', message: 'the supervisor closed the connection without answering' }),
    );
  });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Asks a running supervisor (`{run_dir}/sogoctl.sock`) to reload: `{"cmd":"reload"}`. */
export const requestReload = async (
  runDir: string,
  timeoutMs: number = RELOAD_TIMEOUT_MS,
): Promise<ReloadRequestResult> => {
  const answer = await sendControlRequest(controlSocketPath(runDir), { cmd: 'reload' }, timeoutMs);
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
};

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
