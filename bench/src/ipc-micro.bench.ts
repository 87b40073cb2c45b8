import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IpcClient, UnixSocketClient, socketPath } from '@sogoms/ipc';
import { LatencyRecorder } from './latency-recorder.js';
import { distPath } from './project-root.js';

export interface IpcMicroResult {
  case: string;
  in_flight: number;
  round_trips_per_s: number;
  p50_us: number;
  p99_us: number;
}

/** What a db.query request looks like: the payload every API read sends to the db service. */
const PAYLOAD = { app: 'sakila', sql: 'SELECT * FROM `film` WHERE `film_id` = ?', params: [42] };

const startEchoServer = (path: string): Promise<{ stop(): Promise<void> }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [distPath('bench/src/ipc-echo.main.js'), path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => reject(new Error(`IPC echo server exited ${code}: ${output}`)));
    child.stdout.on('data', (d: Buffer) => {
      if (!d.toString().includes('ready')) return;
      resolve({
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });

/** `inFlight` loops, each awaiting one call after another, for `durationS`. */
const measureCalls = async (
  name: string,
  inFlight: number,
  durationS: number,
  call: () => Promise<unknown>,
): Promise<IpcMicroResult> => {
  const recorder = new LatencyRecorder();
  let done = 0;
  const started = performance.now();
  const deadline = started + durationS * 1000;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      await call();
      recorder.record((performance.now() - t0) * 1000);
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, loop));
  const [p50, p99] = recorder.percentiles(50, 99);
  return {
    case: name,
    in_flight: inFlight,
    round_trips_per_s: done / ((performance.now() - started) / 1000),
    p50_us: p50,
    p99_us: p99,
  };
};

/**
 * The same handler called directly. Throughput from an untimed loop; percentiles from calls
 * timed one by one (they include the clock's own cost, tens of ns).
 */
const measureFunctionCall = (durationS: number): IpcMicroResult => {
  const echo = (data: typeof PAYLOAD): typeof PAYLOAD => data;
  let sink = 0;
  let calls = 0;
  const started = performance.now();
  const deadline = started + (durationS * 1000) / 2;
  while (performance.now() < deadline) {
    for (let i = 0; i < 10_000; i++) sink += echo(PAYLOAD).params.length;
    calls += 10_000;
  }
  const rate = calls / ((performance.now() - started) / 1000);
  const recorder = new LatencyRecorder(1_000_000);
  for (let i = 0; i < 1_000_000; i++) {
    const t0 = performance.now();
    sink += echo(PAYLOAD).params.length;
    recorder.record((performance.now() - t0) * 1000);
  }
  const [p50, p99] = recorder.percentiles(50, 99);
  if (sink < 0) throw new Error('unreachable: keeps the calls from being optimised away');
  return { case: 'plain function call', in_flight: 1, round_trips_per_s: rate, p50_us: p50, p99_us: p99 };
};

/** Round trips over the Unix socket transport (client here, Nest echo server in another process) against a plain call. */
export const runIpcMicroBench = async (durationS: number): Promise<IpcMicroResult[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'sogoms-bench-ipc-'));
  const path = socketPath(dir, 'echo');
  const server = await startEchoServer(path);
  const client = new IpcClient(new UnixSocketClient({ path }), { timeoutMs: 10_000 });
  try {
    await client.connect();
    const call = (): Promise<unknown> => client.call('bench.echo', PAYLOAD);
    await measureCalls('warm-up', 16, Math.min(1, durationS), call);
    const results = [
      await measureCalls('unix socket (IpcClient → Nest handler)', 1, durationS, call),
      await measureCalls('unix socket (IpcClient → Nest handler)', 64, durationS, call),
      measureFunctionCall(durationS),
    ];
    const echo = (data: unknown): Promise<unknown> => Promise.resolve(data);
    results.push(await measureCalls('awaited async function call', 1, durationS / 2, () => echo(PAYLOAD)));
    return results;
  } finally {
    await client.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};
