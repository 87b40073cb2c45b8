import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { PROJECT_ROOT } from './test-config.factory.js';

/**
 * Stand-in services for supervisor tests: tiny node scripts that behave like the real ones from
 * the supervisor's point of view (a Unix socket or an HTTP /health, SIGTERM, SIGHUP), and record
 * what happened to them in `{dir}/events.log` as `{service} {pid} {event}` lines.
 */
export interface DummyService {
  name: string;
  kind: 'socket' | 'http';
  dependsOn?: string[];
  /** Ignores SIGTERM, so only the SIGKILL after the grace period stops it. */
  ignoresSigterm?: boolean;
  reloadSignal?: 'SIGHUP';
}

export interface DummyEvent {
  service: string;
  pid: number;
  event: string;
}

export interface DummyStack {
  dir: string;
  configRoot: string;
  runDir: string;
  /** Port of the http dummy (one per stack). */
  httpPort: number;
  events(): DummyEvent[];
  writeSupervisorConfig(content: string | object): void;
  remove(): void;
}

const socketScript = (service: DummyService, socketPath: string, eventsFile: string): string => `
import { appendFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
const record = (event) => appendFileSync(${JSON.stringify(eventsFile)}, \`${service.name} \${process.pid} \${event}\\n\`);
rmSync(${JSON.stringify(socketPath)}, { force: true });
const server = createServer((socket) => socket.end());
server.listen(${JSON.stringify(socketPath)}, () => {
  record('listening');
  console.log('${service.name} listening');
});
process.on('SIGTERM', () => {
  record('sigterm');
  ${service.ignoresSigterm === true ? '' : 'server.close(() => process.exit(0));'}
});
process.on('SIGHUP', () => {
  record('sighup');
  console.log('${service.name} reloading');
});
`;

/** The real services' start gate (built): a dummy waits where they wait. */
const START_GATE = join(PROJECT_ROOT, 'dist/libs/common/src/start-gate.js');

const httpScript = (
  service: DummyService,
  port: number,
  dependencySockets: string[],
  eventsFile: string,
): string => `
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { startAfterSockets, waitForStartDependencies } from ${JSON.stringify(START_GATE)};
const record = (event) => appendFileSync(${JSON.stringify(eventsFile)}, \`${service.name} \${process.pid} \${event}\\n\`);
// Spawned before its dependencies are up (the supervisor names their sockets): wait like a real service.
if (startAfterSockets().length > 0) record('spawned-early');
await waitForStartDependencies();
// Refuses to start unless every dependency answers: a wrong start order shows up as a crash.
const reachable = (path) => new Promise((resolve) => {
  const socket = connect(path);
  socket.once('connect', () => { socket.destroy(); resolve(true); });
  socket.once('error', () => resolve(false));
});
for (const path of ${JSON.stringify(dependencySockets)}) {
  if (!(await reachable(path))) {
    record('dependency-missing');
    console.error('dependency not reachable: ' + path);
    process.exit(3);
  }
}
const server = createServer((req, res) => {
  res.statusCode = req.url === '/health' ? 200 : 404;
  res.end(req.url === '/health' ? 'ok' : 'not found');
});
server.listen(${port}, '127.0.0.1', () => {
  record('listening');
  console.log('${service.name} listening on ${port}');
});
process.on('SIGTERM', () => {
  record('sigterm');
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
`;

/** Writes the scripts, sogoms.yaml (run_dir in the temp dir) and sogoctl.yaml for `services`. */
export const createDummyStack = (services: DummyService[], httpPort: number): DummyStack => {
  const dir = mkdtempSync(join(tmpdir(), 'sogoms-ctl-'));
  const configRoot = join(dir, 'config');
  const runDir = join(dir, 'run');
  const scripts = join(dir, 'services');
  const eventsFile = join(dir, 'events.log');
  for (const folder of [configRoot, scripts]) mkdirSync(folder, { recursive: true });
  const socketOf = (name: string): string => join(runDir, `${name}.sock`);

  writeFileSync(join(configRoot, 'sogoms.yaml'), stringify({ run_dir: runDir, log_dir: join(dir, 'logs') }));
  for (const service of services) {
    const script =
      service.kind === 'socket'
        ? socketScript(service, socketOf(service.name), eventsFile)
        : httpScript(service, httpPort, (service.dependsOn ?? []).map(socketOf), eventsFile);
    writeFileSync(join(scripts, `${service.name}.mjs`), script);
  }
  const writeSupervisorConfig = (content: string | object): void =>
    writeFileSync(
      join(configRoot, 'sogoctl.yaml'),
      typeof content === 'string' ? content : stringify(content),
    );
  writeSupervisorConfig({
    restart: { initial_delay_ms: 100, max_delay_ms: 1000 },
    stop_grace_ms: 500,
    services: services.map((service) => ({
      name: service.name,
      entry: join(scripts, `${service.name}.mjs`),
      depends_on: service.dependsOn ?? [],
      health:
        service.kind === 'socket'
          ? { kind: 'socket', interval_ms: 100, timeout_ms: 500 }
          : { kind: 'http', url: `http://127.0.0.1:${httpPort}/health`, interval_ms: 100, timeout_ms: 500 },
      start_timeout_s: 10,
      ...(service.reloadSignal === undefined ? {} : { reload_signal: service.reloadSignal }),
    })),
  });

  return {
    dir,
    configRoot,
    runDir,
    httpPort,
    events: () =>
      existsSync(eventsFile)
        ? readFileSync(eventsFile, 'utf8')
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => {
              const [service, pid, event] = line.split(' ');
              return { service, pid: Number(pid), event };
            })
        : [],
    writeSupervisorConfig,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
};

export interface RunningSupervisor {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (or -1 when killed by a signal). */
  exited: Promise<number>;
  /** Resolves once `text` appears in the output; rejects after `timeoutMs`. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
}

export const SUPERVISOR_ENTRY = join(PROJECT_ROOT, 'dist/bundle/ctl/main.js');

/**
 * Runs the built supervisor (`npm run build` first) on a config root. `ownProcessGroup` makes it
 * the leader of a process group, like a shell does for a foreground job, so a test can send the
 * group a terminal's Ctrl-C (`process.kill(-pid, 'SIGINT')`).
 */
export const startSupervisor = (
  configRoot: string,
  options: { ownProcessGroup?: boolean } = {},
): RunningSupervisor => {
  if (!existsSync(SUPERVISOR_ENTRY)) throw new Error(`${SUPERVISOR_ENTRY} is missing: run npm run build`);
  const child = spawn(process.execPath, [SUPERVISOR_ENTRY, '--config', configRoot], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup === true,
  });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  const waitForOutput = (text: string, timeoutMs = 20_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!output.includes(text)) return;
        clearTimeout(timer);
        listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`"${text}" did not appear; supervisor output:\n${output}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  return { child, output: () => output, exited, waitForOutput };
};
