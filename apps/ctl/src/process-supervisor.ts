import type { ServiceStatus } from '@sogoms/ipc';
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { ReloadSignal, ServiceSpec } from '@sogoms/config';
import type { HealthCheck } from './health-check.js';
import { residentBytes } from './process-memory.js';
import type { RestartBackoff } from './restart-backoff.js';
import type { SupervisorLog } from './supervisor-log.js';

export interface ServiceCommand {
  file: string;
  args: string[];
  cwd: string;
  /** Added to the supervisor's own environment. */
  env?: Readonly<Record<string, string>>;
}

export interface ProcessSupervisorOptions {
  spec: ServiceSpec;
  command: ServiceCommand;
  healthCheck: HealthCheck;
  backoff: RestartBackoff;
  stopGraceMs: number;
  log: SupervisorLog;
  now?: () => number;
}

/** Probe at least this often until a fresh process is first healthy, so start-up is not slowed by a long interval. */
const STARTUP_PROBE_MS = 50;

/**
 * Owns one service's process: spawns it, forwards its output, probes its health, restarts it with
 * backoff when it dies unexpectedly, and stops it gracefully (SIGTERM, then SIGKILL after the grace).
 */
export class ProcessSupervisor {
  readonly name: string;
  private child: ChildProcess | null = null;
  private startedAt = 0;
  private restarts = 0;
  private healthy = false;
  private everHealthy = false;
  /** Whether the process should be running; an exit while true is a crash and is restarted. */
  private wanted = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private healthTimer: NodeJS.Timeout | null = null;
  private readonly events = new EventEmitter();
  private operations: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly options: ProcessSupervisorOptions) {
    this.name = options.spec.name;
    this.now = options.now ?? Date.now;
  }

  status(): ServiceStatus {
    const running = this.child !== null;
    const pid = this.child?.pid ?? null;
    return {
      name: this.name,
      pid,
      uptime_s: running ? Math.floor((this.now() - this.startedAt) / 1000) : null,
      restarts: this.restarts,
      healthy: this.healthy,
      rss_bytes: pid === null ? null : residentBytes(pid),
    };
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Spawns the process and keeps it running until stop(). */
  start(): void {
    this.wanted = true;
    this.spawnChild();
  }

  /** Resolves true once a health check passes, false on timeout or when the service is stopped meanwhile. */
  waitHealthy(timeoutMs: number): Promise<boolean> {
    if (this.healthy) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (result: boolean): void => {
        clearTimeout(timer);
        this.events.off('healthy', onHealthy);
        this.events.off('stopped', onStopped);
        resolve(result);
      };
      const onHealthy = (): void => finish(true);
      const onStopped = (): void => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.events.on('healthy', onHealthy);
      this.events.on('stopped', onStopped);
    });
  }

  /** Stops the process for good (until start()); waits until it has exited. */
  stop(): Promise<void> {
    return this.serially(async () => {
      this.wanted = false;
      this.events.emit('stopped');
      await this.terminate();
    });
  }

  /** Graceful stop, then a fresh process; also cuts short a pending backoff wait. */
  restart(): Promise<void> {
    return this.serially(async () => {
      this.wanted = false;
      await this.terminate();
      this.wanted = true;
      this.restarts += 1;
      this.spawnChild();
    });
  }

  /** Sends a signal to the running process; false when there is none. */
  signal(signal: ReloadSignal): boolean {
    if (this.child === null) return false;
    return this.child.kill(signal);
  }

  /** SIGKILL now, no restart; for when the supervisor itself is exiting abnormally. */
  kill(): void {
    this.wanted = false;
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    this.stopHealthChecks();
    this.child?.kill('SIGKILL');
  }

  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.operations.then(operation);
    this.operations = result.catch(() => undefined);
    return result;
  }

  private spawnChild(): void {
    const { command, log } = this.options;
    // Own process group: a Ctrl-C in the terminal reaches only the supervisor, which then stops
    // the services in reverse dependency order instead of all of them dying at once.
    const child = spawn(command.file, command.args, {
      cwd: command.cwd,
      env: command.env === undefined ? process.env : { ...process.env, ...command.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    this.startedAt = this.now();
    this.healthy = false;
    this.everHealthy = false;
    log.follow(this.name, child.stdout, 'stdout');
    log.follow(this.name, child.stderr, 'stderr');
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
    child.once('error', (error) => {
      // Only spawn failures land here (the node binary vanished); treat them as an exit.
      log.error(`${this.name}: could not start: ${error.message}`);
      this.onExit(child, null, null);
    });
    log.event(this.name, child.pid === undefined ? 'starting' : `started (pid ${child.pid})`);
    this.scheduleHealthCheck(child);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    this.stopHealthChecks();
    this.setHealthy(false, null);
    const how = signal !== null ? `killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
    if (!this.wanted) {
      this.options.log.event(this.name, `stopped (${how})`);
      return;
    }
    const delay = this.options.backoff.nextDelayMs();
    this.options.log.event(this.name, `${how}; restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.wanted) return;
      this.restarts += 1;
      this.options.log.event(this.name, `restart #${this.restarts}`);
      this.spawnChild();
    }, delay);
  }

  /** SIGTERM, SIGKILL after the grace period; resolves once the process is gone. */
  private async terminate(): Promise<void> {
    if (this.restartTimer !== null) {
      clearTimeout(this.restartTimer);
      this.restartTimer = null;
    }
    const child = this.child;
    if (child === null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const grace = this.options.stopGraceMs;
    let timer: NodeJS.Timeout | undefined;
    const gone = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), grace))),
    ]);
    clearTimeout(timer);
    if (!gone) {
      this.options.log.event(this.name, `still running ${grace} ms after SIGTERM; sending SIGKILL`);
      child.kill('SIGKILL');
      await exited;
    }
  }

  private scheduleHealthCheck(child: ChildProcess): void {
    const { intervalMs } = this.options.spec.health;
    const wait = this.everHealthy ? intervalMs : Math.min(intervalMs, STARTUP_PROBE_MS);
    this.healthTimer = setTimeout(() => {
      void this.options.healthCheck.check().then((healthy) => {
        if (this.child !== child) return; // the process this probe was for is gone
        this.setHealthy(healthy, child);
        this.scheduleHealthCheck(child);
      });
    }, wait);
  }

  private stopHealthChecks(): void {
    if (this.healthTimer !== null) clearTimeout(this.healthTimer);
    this.healthTimer = null;
  }

  private setHealthy(healthy: boolean, child: ChildProcess | null): void {
    if (healthy === this.healthy) return;
    this.healthy = healthy;
    if (healthy) {
      this.everHealthy = true;
      this.options.backoff.markHealthy();
      this.options.log.event(this.name, `healthy (pid ${child?.pid})`);
      this.events.emit('healthy');
    } else {
      this.options.backoff.markUnhealthy();
      // An exit is logged on its own; only a live process failing its probe is news here.
      if (child !== null) {
        this.options.log.event(this.name, `unhealthy: ${this.options.healthCheck.description} fails`);
      }
    }
  }
}
