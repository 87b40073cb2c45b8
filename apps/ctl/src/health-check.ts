import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { ServiceSpec } from '@sogoms/config';

/** One probe of a service: resolves true when it answers as expected, never rejects. */
export interface HealthCheck {
  readonly description: string;
  check(): Promise<boolean>;
}

/** Healthy when something accepts a connection on the service's Unix socket. */
export class SocketHealthCheck implements HealthCheck {
  readonly description: string;

  constructor(
    private readonly path: string,
    private readonly timeoutMs: number,
  ) {
    this.description = `socket ${path}`;
  }

  check(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect(this.path);
      const done = (healthy: boolean): void => {
        socket.destroy();
        resolve(healthy);
      };
      socket.setTimeout(this.timeoutMs, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
  }
}

/** Healthy when GET url answers 2xx within the timeout. */
export class HttpHealthCheck implements HealthCheck {
  readonly description: string;

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {
    this.description = `GET ${url}`;
  }

  check(): Promise<boolean> {
    return new Promise((resolve) => {
      // No keep-alive agent: a probe must not hold connections open between checks.
      const req = request(this.url, { method: 'GET', agent: false, timeout: this.timeoutMs }, (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status < 300);
      });
      req.once('timeout', () => req.destroy());
      req.once('error', () => resolve(false));
      req.end();
    });
  }
}

export const healthCheckFor = (service: ServiceSpec, runDir: string): HealthCheck => {
  const health = service.health;
  switch (health.kind) {
    case 'socket':
      return new SocketHealthCheck(join(runDir, `${service.name}.sock`), health.timeoutMs);
    case 'http':
      return new HttpHealthCheck(health.url, health.timeoutMs);
  }
};
