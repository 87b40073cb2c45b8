import { chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { fail, ok, SogomsError } from '@sogoms/common';
import {
  MAX_REQUEST_BYTES,
  parseControlRequest,
  type ControlRequest,
  type ControlResponse,
  type MetricsReport,
} from './control-protocol.js';
import type { ReloadResult, RestartResult, StatusResult, StopResult } from '@sogoms/ipc';
import type { SupervisorLog } from './supervisor-log.js';

export interface ControlHandler {
  status(): StatusResult;
  restart(service: string): Promise<RestartResult>;
  reload(): Promise<ReloadResult>;
  stop(): Promise<StopResult>;
  /** Keeps a service's latest metrics report for GET /metrics. */
  metrics(report: MetricsReport): void;
}

/** How long close() lets connected clients read their last answer before cutting them off. */
const CLOSE_GRACE_MS = 1000;

/**
 * The supervisor's control socket (`{run_dir}/sogoctl.sock`): newline-delimited JSON requests
 * from `sogoms`, answered in order per connection. Only the owner may connect (mode 0600).
 */
export class ControlServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly path: string,
    private readonly handler: ControlHandler,
    private readonly log: SupervisorLog,
  ) {
    this.server = createServer((socket) => this.accept(socket));
  }

  /** The caller has already removed a stale socket file (see preflight). */
  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.path, () => {
        this.server.off('error', reject);
        chmodSync(this.path, 0o600);
        resolve();
      });
    });
  }

  /** Stops accepting, lets requests in progress answer, then closes every connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.allSettled([...this.pending]);
    for (const socket of this.sockets) socket.end();
    const cutOff = setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, CLOSE_GRACE_MS);
    await closed;
    clearTimeout(cutOff);
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setEncoding('utf8');
    let buffered = '';
    // Answers go out in request order, even when a later request would finish first.
    let answered: Promise<void> = Promise.resolve();
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line !== '') {
          const response = this.handle(line);
          const written = answered.then(async () => {
            const body = await response;
            if (!socket.destroyed) socket.write(`${JSON.stringify(body)}\n`);
          });
          answered = written;
          this.pending.add(written);
          void written.finally(() => this.pending.delete(written));
        }
        newline = buffered.indexOf('\n');
      }
      if (buffered.length > MAX_REQUEST_BYTES) socket.destroy();
    });
  }

  private async handle(line: string): Promise<ControlResponse> {
    try {
      const request = parseControlRequest(line);
      return ok(await this.dispatch(request));
    } catch (error) {
      if (error instanceof SogomsError) return fail(error.toBody());
      this.log.error(`control request failed: ${error instanceof Error ? error.message : String(error)}`);
      return fail({ code: 'INTERNAL', message: 'the supervisor failed to carry out the request' });
    }
  }

  private async dispatch(request: ControlRequest): Promise<unknown> {
    switch (request.cmd) {
      case 'status':
        return this.handler.status();
      case 'restart':
        return this.handler.restart(request.service);
      case 'reload':
        return this.handler.reload();
      case 'stop':
        return this.handler.stop();
      case 'metrics':
        this.handler.metrics(request);
        return {};
    }
  }
}
