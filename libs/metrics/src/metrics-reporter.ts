import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { ServiceMetrics } from './service-metrics.js';

export interface MetricsReporterOptions {
  /** The supervisor's run dir: its control socket is `{runDir}/sogoctl.sock`. */
  runDir: string;
  intervalMs: number;
}

/**
 * Sends this service's metrics to the supervisor every `intervalMs` over its control socket
 * (`{"cmd":"metrics",...}`, one line), where `GET /metrics` serves them. Never in the way: a
 * report that cannot be sent (no supervisor, e.g. a service started by hand) is skipped, and
 * the timer does not keep the process alive.
 */
export class MetricsReporter {
  private timer: NodeJS.Timeout | null = null;
  private socket: Socket | null = null;
  private sending = false;

  constructor(
    private readonly metrics: ServiceMetrics,
    private readonly options: MetricsReporterOptions,
  ) {}

  start(): void {
    if (this.timer !== null) return;
    // One report at once, so that the supervisor knows the service before the first interval ends.
    void this.report();
    this.timer = setInterval(() => void this.report(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.socket?.destroy();
    this.socket = null;
  }

  /** One report; resolves whether or not it could be sent. */
  async report(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      const metrics = await this.metrics.snapshot();
      const line = JSON.stringify({
        cmd: 'metrics',
        service: this.metrics.service,
        pid: process.pid,
        metrics,
      });
      const socket = await this.connected();
      socket?.write(`${line}\n`);
    } catch {
      // A collector failed or the socket broke: the next report tries again.
    } finally {
      this.sending = false;
    }
  }

  private connected(): Promise<Socket | null> {
    if (this.socket !== null && !this.socket.destroyed) return Promise.resolve(this.socket);
    return new Promise((resolve) => {
      const socket = connect(join(this.options.runDir, 'sogoctl.sock'));
      socket.unref();
      socket.once('connect', () => {
        this.socket = socket;
        resolve(socket);
      });
      socket.once('error', () => {
        socket.destroy();
        resolve(null);
      });
      // The answers (`{"success":true,...}`) carry nothing this side needs.
      socket.on('data', () => undefined);
      socket.once('close', () => {
        if (this.socket === socket) this.socket = null;
      });
    });
  }
}
