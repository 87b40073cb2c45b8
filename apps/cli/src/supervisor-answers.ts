/** The `data` of the supervisor's control answers (docs/supervisor.md), as the CLI reads them. */
export interface ServiceStatus {
  name: string;
  pid: number | null;
  uptime_s: number | null;
  restarts: number;
  healthy: boolean;
}

export interface StatusAnswer {
  services: ServiceStatus[];
}

export interface RestartAnswer {
  service: ServiceStatus;
}

export interface ReloadedService {
  name: string;
  signal: string;
  pid: number | null;
  signalled: boolean;
  /** Present when the service acknowledged: true applied, false refused (`error` says why). */
  applied?: boolean;
  error?: string;
}

export interface ReloadAnswer {
  services: ReloadedService[];
}

export interface StopAnswer {
  stopped: string[];
}
