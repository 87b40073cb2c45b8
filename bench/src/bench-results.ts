import type { CryptBenchResult } from './crypt.bench.js';
import type { IpcMicroResult } from './ipc-micro.bench.js';
import type { MailBenchResult } from './mail.bench.js';
import type { SystemName } from './scenarios.js';

/**
 * One scenario on one system: the keys the issue fixes (name … queries_per_request), then
 * non_2xx, requests and a note (why a figure is missing). Null = not measured.
 */
export interface ScenarioResult {
  name: string;
  system: SystemName;
  rps: number | null;
  p50_ms: number | null;
  p99_ms: number | null;
  errors: number | null;
  queries_per_request: number | null;
  /** CPU time (user + system) of all the system's processes over the measured run, per request sent. */
  cpu_ms_per_request?: number | null;
  non_2xx: number | null;
  requests: number | null;
  note?: string;
}

/** The 1,000-table schema: gateway start, reload, longest pause a request saw during the reload. */
export interface ReloadResult {
  status: 'ok' | 'not available' | 'failed';
  note?: string;
  tables: number;
  create_tables_ms: number | null;
  scan_ms: number | null;
  start_ms: number | null;
  /** The same start with {run_dir}/cache removed: every table block parsed by the YAML parser. */
  start_no_cache_ms: number | null;
  reload_ms: number | null;
  max_pause_ms: number | null;
  /** The longest request of the same loop before the reload, for comparison. */
  max_latency_before_ms: number | null;
  requests_during_reload: number | null;
  failed_during_reload: number | null;
}

/** One load of the many-apps phase. */
export interface ManyAppsLoad {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  /** Connection errors and timeouts. */
  errors: number;
  non_2xx: number;
  requests: number;
  status_codes: Record<string, number>;
}

/** 50 apps on one MariaDB: start, the shared connection budget under load, against one app's load. */
export interface ManyAppsResult {
  status: 'ok' | 'not available' | 'failed';
  note?: string;
  apps?: number;
  clients_per_app?: number;
  create_databases_ms?: number | null;
  /** Supervisor spawned → every app answers its route. */
  start_ms?: number;
  /** The same stack with only the first app, started just before: what the other 49 add. */
  start_one_app_ms?: number | null;
  idle_connections?: number;
  server_max_connections?: number | null;
  budget?: number | null;
  many?: ManyAppsLoad;
  /** The same number of clients, all on one app. */
  one_app?: ManyAppsLoad;
  /** many.rps / one_app.rps. */
  ratio?: number | null;
  peak_connections?: number;
  peak_connections_one_app?: number;
  samples?: number;
  samples_over_budget?: number;
  timed_out_waits?: number | null;
  refused_1040?: number | null;
  rss_total_mb?: number | null;
  rss_db_mb?: number | null;
  rss_gateway_mb?: number | null;
}

export interface BenchResults {
  scenarios: ScenarioResult[];
  /** Peak RSS per process under load, and `sogoms_total` (all SOGOMS processes at one moment). */
  rss_mb: Record<string, number | null>;
  /** The same as PSS: shared pages (the node binary) counted once over the processes. */
  pss_mb: Record<string, number | null>;
  reload: ReloadResult;
  /** Absent in results written before the phase existed. */
  many_apps?: ManyAppsResult;
  ipc: IpcMicroResult[];
  /** `mailer.send_bulk` to a local SMTP server; null when the phase did not run. */
  mail: MailBenchResult | null;
  /** 50 rows with two encrypted fields against the same table in clear; null when not run. */
  crypt?: CryptBenchResult | null;
  run: {
    started_at: string;
    duration_s: number;
    quick: boolean;
    with_directus: boolean;
    connections: number;
    warmup_s: number;
    scenario_s: number;
    machine: string;
    notes: string[];
  };
}

export const notMeasured = (name: string, system: SystemName, note: string): ScenarioResult => ({
  name,
  system,
  rps: null,
  p50_ms: null,
  p99_ms: null,
  errors: null,
  queries_per_request: null,
  non_2xx: null,
  requests: null,
  note,
});

export const reloadNotAvailable = (
  note: string,
  status: ReloadResult['status'] = 'not available',
): ReloadResult => ({
  status,
  note,
  tables: 0,
  create_tables_ms: null,
  scan_ms: null,
  start_ms: null,
  start_no_cache_ms: null,
  reload_ms: null,
  max_pause_ms: null,
  max_latency_before_ms: null,
  requests_during_reload: null,
  failed_during_reload: null,
});
