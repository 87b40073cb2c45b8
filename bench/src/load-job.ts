import type { LoadTarget, ScenarioId } from './scenarios.js';

/** What the harness asks of the load driver (one JSON argument). */
export interface LoadJob {
  scenario: ScenarioId;
  target: LoadTarget;
  connections: number;
  durationS: number;
}

/** What the driver prints (one JSON line) when the run is over. */
export interface LoadOutcome {
  /** Answers received within the duration. */
  requests: number;
  /** Requests sent, including those still in flight when the duration ended (the server ran them too). */
  sent: number;
  durationS: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}
