import { connect } from 'node:net';
import { join } from 'node:path';

/** One exchange on the control socket; every outcome is a value, so callers decide what is fatal. */
export type ControlAnswer =
  | { kind: 'answer'; body: unknown }
  | { kind: 'not_running'; why: string }
  | { kind: 'failed'; message: string };

/**
 * The supervisor's control socket, `{run_dir}/sogoctl.sock`: one JSON request per line, one JSON
 * answer per line (the common envelope `{ success, data | error }`). The CLI and the admin use it.
 */
export class ControlClient {
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
}
