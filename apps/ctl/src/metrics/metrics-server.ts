import { createServer, type Server } from 'node:http';
import type { SupervisorLog } from '../supervisor-log.js';
import type { SupervisorMetrics } from './supervisor-metrics.js';

/**
 * The metrics listener (`metrics.host`:`metrics.port`, 127.0.0.1:9464 by default): GET /metrics
 * in Prometheus text format; anything else 404. It lives in the supervisor because the
 * supervisor outlives every service it restarts and already knows each one (docs/metrics.md).
 */
export class MetricsServer {
  private readonly server: Server;

  constructor(
    private readonly metrics: SupervisorMetrics,
    private readonly log: SupervisorLog,
  ) {
    this.server = createServer((request, response) => {
      const path = (request.url ?? '').split('?')[0];
      if (request.method !== 'GET' || path !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
        return;
      }
      this.metrics.render().then(
        ({ contentType, body }) => response.writeHead(200, { 'content-type': contentType }).end(body),
        (error: unknown) => {
          this.log.error(`metrics failed: ${error instanceof Error ? error.message : String(error)}`);
          response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n');
        },
      );
    });
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
