import { SogomsError } from '@sogoms/common';
import {
  loadConfig,
  readReloadAck,
  type ReloadAck,
  type ServiceSpec,
  type SupervisorConfig,
} from '@sogoms/config';
import { START_AFTER_ENV } from '@sogoms/common';
import { dirname, join } from 'node:path';
import { checkAppFiles, loadSchemaFileInSlices, schemaChunkCachePath } from '@sogoms/schema';
import { healthCheckFor } from './health-check.js';
import type {
  DatabaseFallbackStatus,
  ReloadOutcome,
  ReloadResult,
  RestartResult,
  StatusResult,
  StopResult,
} from '@sogoms/ipc';
import { ProcessSupervisor } from './process-supervisor.js';
import { requestPath } from './request-path.js';
import { RestartBackoff } from './restart-backoff.js';
import { ServiceGraph } from './service-graph.js';

/** How long `reload` waits for a service's acknowledgement (a 1,000-table schema takes about 1 s). */
const RELOAD_ACK_TIMEOUT_MS = 30_000;
const RELOAD_ACK_POLL_MS = 25;
import type { SupervisorLog } from './supervisor-log.js';

export interface SupervisorOptions {
  /** Absolute config root, passed to every service as `--config`. */
  configRoot: string;
  /** Working directory of the services. */
  projectRoot: string;
  runDir: string;
  log: SupervisorLog;
  /** The Node binary that runs the services. Default: the one running the supervisor. */
  nodePath?: string;
  now?: () => number;
  /** Apps on their fallback database (decided at start), for `status`. */
  fallbacks?: DatabaseFallbackStatus[];
}

/** A service did not become healthy in time while everything was being started. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/**
 * All services of one SOGOMS server: starts them in dependency order (each waits until its
 * dependencies are healthy), restarts, reloads and stops them in reverse order.
 */
export class Supervisor {
  private readonly graph: ServiceGraph;
  private readonly processes = new Map<string, ProcessSupervisor>();
  private stopping: Promise<StopResult> | null = null;
  /** startAll's work: a reload waits for it (mailer and cron start after the gateway is up, and a
   * SIGHUP before a service installed its handler would end it). */
  private starting: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: SupervisorConfig,
    private readonly options: SupervisorOptions,
  ) {
    this.graph = new ServiceGraph(config.services);
    for (const spec of this.graph.startOrder) {
      const backoff = new RestartBackoff(config.restart, options.now);
      this.processes.set(
        spec.name,
        new ProcessSupervisor({
          spec,
          command: {
            file: options.nodePath ?? process.execPath,
            args: [...(spec.nodeArgs ?? []), spec.entry, '--config', options.configRoot],
            cwd: options.projectRoot,
            env: this.spawnsEarly(spec)
              ? { [START_AFTER_ENV]: JSON.stringify(this.dependencySockets(spec)) }
              : {},
          },
          healthCheck: healthCheckFor(spec, options.runDir),
          backoff,
          stopGraceMs: config.stopGraceMs,
          log: options.log,
          now: options.now,
        }),
      );
    }
  }

  get isStopping(): boolean {
    return this.stopping !== null;
  }

  get serviceNames(): string[] {
    return this.graph.startOrder.map((spec) => spec.name);
  }

  /**
   * Starts every service, each healthy only after its dependencies (throws StartupError when one
   * stays unhealthy). Loading a Nest service's code takes about a second of CPU, so one after the
   * other six services took 6–9 s before the first request could be served:
   * - a service whose dependencies all have a socket health check is spawned at once and waits
   *   for their sockets itself (`START_AFTER_ENV`, once its code is loaded), so loading overlaps;
   * - the request path comes first (requestPath: the gateway and what it depends on); the
   *   others (mailer, push, cron, admin) are spawned once those are healthy, so that on two
   *   cores they do not compete with it for the CPU while it loads.
   * A start timeout counts from the moment the service's dependencies are healthy.
   */
  startAll(): Promise<void> {
    this.starting = this.startServices();
    return this.starting;
  }

  private async startServices(): Promise<void> {
    const onRequestPath = requestPath(this.graph.startOrder);
    const ready = new Map<string, Promise<void>>();
    const launch = (spec: ServiceSpec, after: Promise<unknown>): void => {
      const managed = this.processes.get(spec.name)!;
      const early = this.spawnsEarly(spec);
      const dependencies = spec.dependsOn.map((name) => ready.get(name)!);
      ready.set(
        spec.name,
        (async () => {
          await after;
          if (this.stopping !== null) return;
          if (early) managed.start();
          await Promise.all(dependencies);
          if (this.stopping !== null) return;
          if (!early) managed.start();
          const healthy = await managed.waitHealthy(spec.startTimeoutS * 1000);
          if (!healthy && this.stopping === null) {
            const check = healthCheckFor(spec, this.options.runDir).description;
            throw new StartupError(
              `${spec.name} did not become healthy within ${spec.startTimeoutS} s (${check})`,
            );
          }
        })(),
      );
    };
    const first = this.graph.startOrder.filter((spec) => onRequestPath.has(spec.name));
    for (const spec of first) launch(spec, Promise.resolve());
    const firstUp = Promise.all(first.map((spec) => ready.get(spec.name)!));
    // Its failure is reported through the services' own promises below, not as an unhandled rejection.
    firstUp.catch(() => undefined);
    for (const spec of this.graph.startOrder) if (!onRequestPath.has(spec.name)) launch(spec, firstUp);
    const outcomes = await Promise.allSettled(ready.values());
    // The first failure in start order is the cause; the services after it fail with the same error.
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  /** Whether the service can wait for its dependencies itself: each of them has a socket health check. */
  private spawnsEarly(spec: ServiceSpec): boolean {
    return spec.dependsOn.every(
      (name) => this.config.services.find((service) => service.name === name)?.health.kind === 'socket',
    );
  }

  private dependencySockets(spec: ServiceSpec): string[] {
    return spec.dependsOn.map((name) => join(this.options.runDir, `${name}.sock`));
  }

  status(): StatusResult {
    const services = this.graph.startOrder.map((spec) => this.processes.get(spec.name)!.status());
    const fallbacks = this.options.fallbacks ?? [];
    return fallbacks.length === 0 ? { services } : { services, fallbacks };
  }

  /** Graceful stop and fresh start of one service; resolves once it is healthy again (or its start timeout passed). */
  async restart(name: string): Promise<RestartResult> {
    const managed = this.processes.get(name);
    if (managed === undefined) {
      throw new SogomsError(
        'NOT_FOUND',
        `unknown service ${name} (services: ${this.serviceNames.join(', ')})`,
      );
    }
    this.assertNotStopping();
    const spec = this.config.services.find((service) => service.name === name)!;
    this.options.log.event(name, 'restart requested');
    await managed.restart();
    await managed.waitHealthy(spec.startTimeoutS * 1000);
    return { service: managed.status() };
  }

  /**
   * Reads the apps' schema files once, in slices, after start: the schema reader remembers each
   * table's text, so the pre-check of `reload` then parses only the tables that changed (a
   * 1,000-table file: about a second of CPU otherwise, on the machine that serves requests).
   * Problems are left for `reload` to report.
   */
  async prepareReloadCheck(): Promise<void> {
    try {
      const { apps } = loadConfig(this.options.configRoot);
      for (const app of apps) {
        if (this.stopping !== null) return;
        // The gateway's cache of parsed blocks (same file, same reading): no second YAML parse.
        await loadSchemaFileInSlices(app.dir, dirname(this.options.configRoot), {
          chunkCache: schemaChunkCachePath(this.options.runDir, app.name),
        }).catch(() => undefined);
      }
    } catch {
      // A config that does not load now is reported by the next reload.
    }
  }

  /**
   * Sends each reloadable service its reload signal; the services re-read their configuration
   * themselves. Answers once every service that acknowledges reloads has reported the outcome.
   */
  async reload(): Promise<ReloadResult> {
    this.assertNotStopping();
    await this.starting.catch(() => undefined);
    this.assertNotStopping();
    // Check first, as the services will: a bad file is reported here and nobody is signalled,
    // so the services keep serving their current configuration.
    const { apps } = loadConfig(this.options.configRoot);
    checkAppFiles(this.options.configRoot, apps);
    const services: (ReloadOutcome & { before: ReloadAck | null })[] = [];
    for (const spec of this.graph.startOrder) {
      if (spec.reloadSignal === null) continue;
      const managed = this.processes.get(spec.name)!;
      const pid = managed.pid;
      const before = readReloadAck(this.options.runDir, spec.name);
      const signalled = managed.signal(spec.reloadSignal);
      this.options.log.event(
        spec.name,
        signalled ? `sent ${spec.reloadSignal} (reload)` : 'not running; reload skipped',
      );
      services.push({ name: spec.name, signal: spec.reloadSignal, pid, signalled, applied: null, before });
    }
    // Services reload side by side; each one that acknowledges is waited for, not guessed.
    const outcomes = await Promise.all(
      services.map(async ({ before, ...outcome }): Promise<ReloadOutcome> => {
        if (!outcome.signalled || before === null) return outcome;
        const ack = await this.awaitReloadAck(outcome.name, before.seq);
        if (ack === null) {
          this.options.log.error(
            `${outcome.name}: no reload confirmation within ${RELOAD_ACK_TIMEOUT_MS} ms`,
          );
          return outcome;
        }
        this.options.log.event(
          outcome.name,
          ack.ok ? 'reloaded' : `reload refused: ${ack.error ?? 'unknown'}`,
        );
        return ack.ok ? { ...outcome, applied: true } : { ...outcome, applied: false, error: ack.error };
      }),
    );
    return { services: outcomes };
  }

  private async awaitReloadAck(service: string, afterSeq: number): Promise<ReloadAck | null> {
    const deadline = Date.now() + RELOAD_ACK_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const ack = readReloadAck(this.options.runDir, service);
      if (ack !== null && ack.seq > afterSeq) return ack;
      await new Promise((resolve) => setTimeout(resolve, RELOAD_ACK_POLL_MS));
    }
    return null;
  }

  /** Stops every service, dependants first. Safe to call more than once: later calls share the first. */
  stopAll(): Promise<StopResult> {
    this.stopping ??= (async () => {
      const stopped: string[] = [];
      for (const spec of this.graph.stopOrder) {
        await this.processes.get(spec.name)!.stop();
        stopped.push(spec.name);
      }
      return { stopped };
    })();
    return this.stopping;
  }

  /** Last resort when the supervisor itself is going down hard: SIGKILL whatever still runs, synchronously. */
  killAllNow(): void {
    for (const managed of this.processes.values()) managed.kill();
  }

  private assertNotStopping(): void {
    if (this.stopping !== null) throw new SogomsError('UNAVAILABLE', 'the supervisor is stopping');
  }
}
