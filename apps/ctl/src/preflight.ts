import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  ConfigError,
  displayPath,
  formatProblem,
  loadConfig,
  loadSupervisorConfig,
  onFallbackWhereDecided,
  ParsedConfigFiles,
  type AppConfig,
  type ConfigProblem,
  type GlobalConfig,
  type SupervisorConfig,
} from '@sogoms/config';
import { MariaDbProbe, type MariaDbProbeFailure } from './mariadb-probe.js';
import { ServiceGraph, ServiceGraphError } from './service-graph.js';
import { servicesForTransport } from './service-selection.js';
import { SocketOwnerLookup, type ProcessInfo } from './socket-owner.js';

/** Something must be fixed before the supervisor may start; the message is one line (per config problem). */
export class PreflightError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreflightError';
  }
}

export interface PreflightResult {
  global: GlobalConfig;
  /** As the services will read them: apps on their fallback already swapped (see `fallbacks`). */
  apps: AppConfig[];
  /** App → why its primary database could not be used: these run on `database.fallback`. */
  fallbacks: Map<string, string>;
  supervisor: SupervisorConfig;
  controlSocket: string;
  pidFile: string;
  /** What the YAML parser made of sogoms.yaml and every app.yaml: the services reuse it (main.ts). */
  parsedFiles: ParsedConfigFiles;
}

interface PortClaim {
  port: number;
  host: string;
  label: string;
}

export interface PreflightDependencies {
  owners?: SocketOwnerLookup;
  mariadb?: MariaDbProbe;
}

/**
 * Everything checked before anything is started, so a missing piece is one clear line instead of
 * a crash loop: the configuration, a supervisor already running, sockets and ports in use, and
 * every app's MariaDB.
 */
export class Preflight {
  private readonly owners: SocketOwnerLookup;
  private readonly mariadb: MariaDbProbe;

  constructor(dependencies: PreflightDependencies = {}) {
    this.owners = dependencies.owners ?? new SocketOwnerLookup();
    this.mariadb = dependencies.mariadb ?? new MariaDbProbe();
  }

  async run(configRoot: string, projectRoot: string): Promise<PreflightResult> {
    const { global, apps, supervisor, parsedFiles } = this.loadConfiguration(configRoot, projectRoot);
    const runDir = global.runDir;
    try {
      mkdirSync(runDir, { recursive: true });
    } catch (error) {
      throw new PreflightError(`cannot create run_dir ${runDir} (${(error as NodeJS.ErrnoException).code})`);
    }
    const controlSocket = join(runDir, 'sogoctl.sock');
    const pidFile = join(runDir, 'sogoctl.pid');
    await this.checkNoSupervisor(controlSocket, pidFile);
    await this.checkServiceSockets(supervisor, runDir);
    await this.checkPorts(this.portClaims(global, supervisor));
    const fallbacks = await this.checkDatabases(apps, configRoot);
    return {
      global,
      apps: apps.map((app) => onFallbackWhereDecided(app, fallbacks)),
      fallbacks,
      supervisor,
      controlSocket,
      pidFile,
      parsedFiles,
    };
  }

  private loadConfiguration(
    configRoot: string,
    projectRoot: string,
  ): {
    global: GlobalConfig;
    apps: AppConfig[];
    supervisor: SupervisorConfig;
    parsedFiles: ParsedConfigFiles;
  } {
    const problems: ConfigProblem[] = [];
    // Empty: the preflight parses every file itself, whatever an earlier cache holds.
    const parsedFiles = new ParsedConfigFiles();
    const attempt = <T>(load: () => T): T | undefined => {
      try {
        return load();
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems.push(...error.problems);
        return undefined;
      }
    };
    const loaded = attempt(() => loadConfig(configRoot, { parsedFiles }));
    const supervisor = attempt(() => loadSupervisorConfig(configRoot, { projectRoot }));
    if (problems.length === 1)
      throw new PreflightError(`invalid configuration: ${formatProblem(problems[0])}`);
    if (problems.length > 0) throw new PreflightError(new ConfigError(problems).message);
    try {
      new ServiceGraph(supervisor!.services);
    } catch (error) {
      if (!(error instanceof ServiceGraphError)) throw error;
      const file = displayPath(configRoot, join(configRoot, 'sogoctl.yaml'));
      throw new PreflightError(`invalid configuration: ${file}: services: ${error.message}`);
    }
    const global = loaded!.global;
    return {
      global,
      apps: loaded!.apps,
      supervisor: servicesForTransport(supervisor!, global.transport.kind),
      parsedFiles,
    };
  }

  private async checkNoSupervisor(controlSocket: string, pidFile: string): Promise<void> {
    if (await this.accepts(controlSocket)) {
      const pid = this.readPid(pidFile);
      const who = pid === null ? '' : ` (pid ${pid})`;
      throw new PreflightError(
        `a supervisor is already running${who} on ${controlSocket}; use "npx sogoms status" or "npx sogoms stop"`,
      );
    }
    // Nobody answers: a file left by a supervisor that was killed. Listening needs the path free.
    rmSync(controlSocket, { force: true });
  }

  private async checkServiceSockets(supervisor: SupervisorConfig, runDir: string): Promise<void> {
    for (const service of supervisor.services) {
      if (service.health.kind !== 'socket') continue;
      const path = join(runDir, `${service.name}.sock`);
      if (await this.accepts(path)) {
        throw new PreflightError(
          `socket ${path} (${service.name}) is already in use ${this.describe(this.owners.unixListener(path))}`,
        );
      }
    }
  }

  /**
   * The gateway's and the admin's ports (when supervised), the port of every HTTP health check
   * and the metrics port.
   */
  private portClaims(global: GlobalConfig, supervisor: SupervisorConfig): PortClaim[] {
    const claims: PortClaim[] = [];
    if (supervisor.services.some((service) => service.name === 'gateway')) {
      claims.push({ port: global.gateway.port, host: global.gateway.host, label: 'gateway' });
    }
    if (supervisor.services.some((service) => service.name === 'admin')) {
      claims.push({ port: global.admin.port, host: global.admin.host, label: 'admin' });
    }
    for (const service of supervisor.services) {
      if (service.health.kind !== 'http') continue;
      const url = new URL(service.health.url);
      const port = url.port === '' ? 80 : Number(url.port);
      if (claims.some((claim) => claim.port === port)) continue;
      claims.push({ port, host: url.hostname.replace(/^\[|\]$/g, ''), label: service.name });
    }
    // The supervisor serves GET /metrics itself.
    if (global.metrics.enabled && !claims.some((claim) => claim.port === global.metrics.port)) {
      claims.push({ port: global.metrics.port, host: global.metrics.host, label: 'metrics' });
    }
    return claims.filter((claim) => claim.port !== 0);
  }

  private async checkPorts(claims: PortClaim[]): Promise<void> {
    for (const claim of claims) {
      const error = await this.tryBind(claim.port, claim.host);
      if (error === 'EADDRINUSE') {
        const owner = this.owners.tcpListener(claim.port);
        throw new PreflightError(
          `port ${claim.port} (${claim.label}) is already in use ${this.describe(owner)}`,
        );
      }
      if (error === 'EACCES') {
        throw new PreflightError(
          `port ${claim.port} (${claim.label}) needs privileges this user lacks (EACCES)`,
        );
      }
      // Other errors (e.g. a health URL naming another machine) are not for preflight to judge.
    }
  }

  /**
   * Every MariaDB app's server must answer and take its login; an app that declares a
   * `database.fallback` runs on it instead (the returned decisions), any other stops the start.
   */
  private async checkDatabases(apps: AppConfig[], configRoot: string): Promise<Map<string, string>> {
    const onMariaDb = apps.filter((app) => app.database.driver === 'mariadb');
    // One probe per server and login, however many apps share it: 50 apps on one server are one
    // connection, not 50 at once against its max_connections.
    const probes = new Map<string, Promise<MariaDbProbeFailure | null>>();
    const probeOf = ({ host, port, user, password }: AppConfig['database']) => {
      const key = JSON.stringify([host, port, user, password]);
      let probe = probes.get(key);
      if (probe === undefined) {
        probe = this.mariadb.probe({ host, port, user, password });
        probes.set(key, probe);
      }
      return probe;
    };
    const failures = await Promise.all(onMariaDb.map((app) => probeOf(app.database)));
    const fallbacks = new Map<string, string>();
    onMariaDb.forEach((app, i) => {
      const failure = failures[i];
      if (failure === null) return;
      if (app.database.fallback !== null) {
        const { host, port } = app.database;
        const where = failure.stage === 'login' ? 'refused the login' : 'could not be reached';
        fallbacks.set(app.name, `MariaDB at ${host}:${port} ${where} (${failure.reason})`);
        return;
      }
      const { host, port, user } = app.database;
      const file = displayPath(configRoot, join(app.dir, 'app.yaml'));
      if (failure.stage === 'login') {
        throw new PreflightError(
          `MariaDB at ${host}:${port} refused the login of user ${user} for app ${app.name} (${failure.reason}); ` +
            `check database.user and database.password in ${file}`,
        );
      }
      const hostEnv = this.hostEnvName(join(app.dir, 'app.yaml'));
      const keys = hostEnv === null ? 'database.host' : `database.host / ${hostEnv}`;
      throw new PreflightError(
        `cannot reach MariaDB at ${host}:${port} for app ${app.name} (${failure.reason}); ` +
          `start it, or set ${keys} in ${file}`,
      );
    });
    return fallbacks;
  }

  /** The variable named by `database.host_env`, for the hint only (the typed config keeps just the value). */
  private hostEnvName(appFile: string): string | null {
    try {
      const raw = parse(readFileSync(appFile, 'utf8')) as { database?: { host_env?: unknown } } | null;
      const name = raw?.database?.host_env;
      return typeof name === 'string' ? name : null;
    } catch {
      return null;
    }
  }

  private describe(owner: ProcessInfo | null): string {
    return owner === null ? 'by an unknown process' : `by pid ${owner.pid} (${owner.command})`;
  }

  private readPid(pidFile: string): number | null {
    try {
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
    } catch {
      return null;
    }
  }

  /** Whether something accepts connections on a Unix socket path. */
  private accepts(path: string): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect(path);
      socket.setTimeout(1000, () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  }

  /** Binds the port for a moment; resolves the error code, or null when it is free. */
  private tryBind(port: number, host: string): Promise<string | null> {
    return new Promise((resolve) => {
      const server = createServer();
      server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'UNKNOWN'));
      server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(null)));
    });
  }
}
