import { request } from 'node:http';
import { Injectable } from '@nestjs/common';
import { AdminSettings } from '../admin-settings.js';

/** `sogoms_http_requests_total{app="shop",...} 42` lines of the supervisor's /metrics. */
const REQUESTS_LINE = /^sogoms_http_requests_total\{([^}]*)\}\s+([0-9.e+]+)/;
const APP_LABEL = /(?:^|,)app="([^"]*)"/;

/**
 * Requests answered per app since the gateways started, read from the supervisor's /metrics
 * (docs/metrics.md). Empty when metrics are off or the supervisor does not answer: the
 * dashboard shows "-" then, it does not fail.
 */
@Injectable()
export class RequestCounts {
  constructor(private readonly settings: AdminSettings) {}

  async byApp(): Promise<Map<string, number>> {
    const { metrics } = this.settings.global;
    const counts = new Map<string, number>();
    if (!metrics.enabled) return counts;
    const text = await this.fetch(metrics.host, metrics.port).catch(() => '');
    for (const line of text.split('\n')) {
      const match = REQUESTS_LINE.exec(line);
      const app = match === null ? null : APP_LABEL.exec(match[1]);
      if (match === null || app === null) continue;
      counts.set(app[1], (counts.get(app[1]) ?? 0) + Number(match[2]));
    }
    return counts;
  }

  private fetch(host: string, port: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const call = request({ host, port, path: '/metrics', timeout: 2000 }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(body));
      });
      call.on('timeout', () => call.destroy(new Error('timeout')));
      call.on('error', reject);
      call.end();
    });
  }
}
