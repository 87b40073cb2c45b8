import type { ReloadSignal } from '@sogoms/config';

/**
 * The `data` of the supervisor's control answers on `{run_dir}/sogoctl.sock` (docs/supervisor.md):
 * what sogoctl sends and the CLI reads. Wire names are snake_case like every SOGOMS payload.
 */
export interface ServiceStatus {
  name: string;
  /** null while the service is not running (waiting for a restart, or stopped). */
  pid: number | null;
  uptime_s: number | null;
  /** Starts after the first one: crash restarts and `sogoms restart`. */
  restarts: number;
  healthy: boolean;
  /** Resident memory (from /proc); null when not running or not readable. */
  rss_bytes: number | null;
}

/** An app serving from its declared fallback database: its primary was unreachable at start. */
export interface DatabaseFallbackStatus {
  app: string;
  /** Why the primary was not used (`connection refused`, `access denied`). */
  reason: string;
  driver: string;
  file: string | null;
}

export interface StatusResult {
  services: ServiceStatus[];
  /** Absent or empty: every app is on its configured database. */
  fallbacks?: DatabaseFallbackStatus[];
}

export interface ReloadOutcome {
  name: string;
  signal: ReloadSignal;
  pid: number | null;
  /** False when the service had no running process to signal. */
  signalled: boolean;
  /**
   * For a service that acknowledges reloads ({run_dir}/{name}.reload.json): whether it applied
   * the new configuration (`error` says why not); `null` when it does not acknowledge or did not
   * answer in time.
   */
  applied: boolean | null;
  error?: string;
}

export interface ReloadResult {
  services: ReloadOutcome[];
}

export interface RestartResult {
  service: ServiceStatus;
}

export interface StopResult {
  stopped: string[];
}
