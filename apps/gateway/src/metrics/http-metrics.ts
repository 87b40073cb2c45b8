import { Injectable } from '@nestjs/common';
import {
  ServiceMetrics,
  TalliedCounter,
  TalliedHistogram,
  type CounterTally,
  type HistogramTally,
} from '@sogoms/metrics';
import type { FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import type { RoutedRequest } from '../http/routed-request.js';
import { routePattern } from '../http/request-log.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

interface RouteSeries {
  duration: HistogramTally;
  byStatus: Map<number, CounterTally>;
}

/**
 * Requests per app, method and route pattern (the route as declared, `/:table/:id`, never the
 * raw URL), counted by status class, with a latency histogram. Every label value is bounded:
 * apps and routes come from configuration, an unknown method is `OTHER`, a request for no app
 * is `app=""`.
 */
@Injectable()
export class HttpMetrics {
  private readonly requests: TalliedCounter<'app' | 'method' | 'route' | 'status_class'>;
  private readonly duration: TalliedHistogram<'app' | 'method' | 'route'>;
  // One tally per series, found by a Map lookup per request (prom-client hashes labels per call).
  private readonly series = new Map<string, RouteSeries>();

  constructor(metrics: ServiceMetrics) {
    this.requests = new TalliedCounter({
      name: 'sogoms_http_requests_total',
      help: 'HTTP requests answered, by app, method, route pattern and status class (2xx, 4xx, ...).',
      labelNames: ['app', 'method', 'route', 'status_class'],
      registers: [metrics.registry],
    });
    this.duration = new TalliedHistogram({
      name: 'sogoms_http_request_duration_seconds',
      help: 'Time from the request to its answer, by app, method and route pattern.',
      labelNames: ['app', 'method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [metrics.registry],
    });
  }

  /** Fastify's onResponse hook (installed by main.ts when metrics are enabled). */
  readonly onResponse: onResponseHookHandler = (
    request: FastifyRequest,
    reply: FastifyReply,
    done: () => void,
  ): void => {
    this.record(
      (request.raw as RoutedRequest).sogomsApp?.config.name ?? '',
      METHODS.has(request.method) ? request.method : 'OTHER',
      routePattern(request),
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  };

  record(app: string, method: string, route: string, status: number, seconds: number): void {
    const key = `${app}\u0000${method}\u0000${route}`;
    let series = this.series.get(key);
    if (series === undefined) {
      series = { duration: this.duration.tally({ app, method, route }), byStatus: new Map() };
      this.series.set(key, series);
    }
    series.duration.observe(seconds);
    const statusClass = Math.floor(status / 100);
    let counter = series.byStatus.get(statusClass);
    if (counter === undefined) {
      counter = this.requests.tally({ app, method, route, status_class: `${statusClass}xx` });
      series.byStatus.set(statusClass, counter);
    }
    counter.inc();
  }
}
