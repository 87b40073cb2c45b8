import { SogomsError, type ErrorEnvelope, type SuccessEnvelope } from '@sogoms/common';
import type { MetricsSnapshot } from '@sogoms/metrics';

/**
 * The control socket speaks newline-delimited JSON: one request object per line, one response
 * per request, in order. Responses use the common envelope (`{success, data}` / `{success, error}`).
 */
export type ControlRequest =
  | { cmd: 'status' }
  | { cmd: 'restart'; service: string }
  | { cmd: 'reload' }
  | { cmd: 'stop' }
  | MetricsReport;

/** A service's metrics, sent every `metrics.report_interval_ms` (libs/metrics MetricsReporter). */
export interface MetricsReport {
  cmd: 'metrics';
  service: string;
  pid: number;
  metrics: MetricsSnapshot;
}

export type ControlResponse = SuccessEnvelope<unknown> | ErrorEnvelope;

/**
 * Longest request line accepted. Commands are tiny; a metrics report (the gateway's histograms
 * per app and route) is the largest: anything longer is not a client of ours.
 */
export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

export const CONTROL_COMMANDS = ['status', 'restart', 'reload', 'stop', 'metrics'] as const;

const METRIC_TYPES = new Set(['counter', 'gauge', 'histogram', 'summary']);

const isMetricsSnapshot = (value: unknown): value is MetricsSnapshot =>
  Array.isArray(value) &&
  value.every(
    (metric) =>
      typeof metric === 'object' &&
      metric !== null &&
      typeof (metric as Record<string, unknown>).name === 'string' &&
      METRIC_TYPES.has((metric as Record<string, unknown>).type as string) &&
      Array.isArray((metric as Record<string, unknown>).values),
  );

const parseMetricsReport = (request: Record<string, unknown>): MetricsReport => {
  const { service, pid, metrics } = request;
  if (
    typeof service !== 'string' ||
    service === '' ||
    !Number.isInteger(pid) ||
    !isMetricsSnapshot(metrics)
  ) {
    throw new SogomsError(
      'BAD_REQUEST',
      'metrics needs "service", "pid" and "metrics" (prom-client\'s getMetricsAsJSON form)',
    );
  }
  return { cmd: 'metrics', service, pid: pid as number, metrics };
};

export const parseControlRequest = (line: string): ControlRequest => {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new SogomsError('BAD_REQUEST', 'request is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SogomsError('BAD_REQUEST', 'request must be a JSON object with a "cmd"');
  }
  const request = value as Record<string, unknown>;
  switch (request.cmd) {
    case 'status':
    case 'reload':
    case 'stop':
      return { cmd: request.cmd };
    case 'restart':
      if (typeof request.service !== 'string' || request.service === '') {
        throw new SogomsError('BAD_REQUEST', 'restart needs "service": the name of a service');
      }
      return { cmd: 'restart', service: request.service };
    case 'metrics':
      return parseMetricsReport(request);
    default:
      throw new SogomsError('BAD_REQUEST', `unknown cmd; expected one of ${CONTROL_COMMANDS.join(', ')}`);
  }
};
