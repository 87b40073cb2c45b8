import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceSpec } from '@sogoms/config';
import type { HealthCheck } from './health-check.js';
import { ProcessSupervisor } from './process-supervisor.js';
import { RestartBackoff } from './restart-backoff.js';
import { SupervisorLog } from './supervisor-log.js';

const spec: ServiceSpec = {
  name: 'db',
  entry: '(inline)',
  dependsOn: [],
  health: { kind: 'socket', intervalMs: 20, timeoutMs: 100 },
  startTimeoutS: 5,
  reloadSignal: null,
};

/** A health check the test switches by hand. */
class SwitchHealthCheck implements HealthCheck {
  readonly description = 'switch';
  healthy = false;
  check(): Promise<boolean> {
    return Promise.resolve(this.healthy);
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const waitFor = async (condition: () => boolean, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('ProcessSupervisor', () => {
  let supervised: ProcessSupervisor | undefined;
  let output = '';
  let time = 0;

  const create = (script: string, health: HealthCheck): ProcessSupervisor => {
    const out = new PassThrough();
    out.on('data', (chunk: Buffer) => (output += chunk.toString()));
    supervised = new ProcessSupervisor({
      spec,
      command: { file: process.execPath, args: ['-e', script], cwd: process.cwd() },
      healthCheck: health,
      backoff: new RestartBackoff({ initialDelayMs: 50, maxDelayMs: 1000, resetAfterMs: 60_000 }),
      stopGraceMs: 2000,
      log: new SupervisorLog(['db'], out, out),
      now: () => time,
    });
    return supervised;
  };

  afterEach(async () => {
    await supervised?.stop();
    output = '';
    time = 0;
  });

  it('reports pid, uptime, restarts and health in the status shape', async () => {
    const health = new SwitchHealthCheck();
    const service = create('console.log("ready"); setInterval(() => {}, 1000)', health);
    expect(service.status()).toEqual({
      name: 'db',
      pid: null,
      uptime_s: null,
      restarts: 0,
      healthy: false,
      rss_bytes: null,
    });

    time = 1_000;
    service.start();
    const { pid } = service.status();
    expect(pid).toEqual(expect.any(Number));
    expect(service.status()).toEqual({
      name: 'db',
      pid,
      uptime_s: 0,
      restarts: 0,
      healthy: false,
      rss_bytes: expect.any(Number),
    });

    health.healthy = true;
    expect(await service.waitHealthy(2000)).toBe(true);
    time = 66_500;
    expect(service.status()).toEqual({
      name: 'db',
      pid,
      uptime_s: 65,
      restarts: 0,
      healthy: true,
      rss_bytes: expect.any(Number),
    });

    await waitFor(() => output.includes('db      | ready'));
    await service.stop();
    expect(service.status()).toEqual({
      name: 'db',
      pid: null,
      uptime_s: null,
      restarts: 0,
      healthy: false,
      rss_bytes: null,
    });
    expect(isAlive(pid!)).toBe(false);
    expect(output).toContain('db: stopped (killed by SIGTERM)');
  });

  it('restarts a crashing process with growing delays', async () => {
    const service = create('process.exit(3)', new SwitchHealthCheck());
    service.start();
    await waitFor(() => service.status().restarts >= 2);
    expect(output).toContain('db: exited with code 3; restarting in 50 ms');
    expect(output).toContain('db: exited with code 3; restarting in 100 ms');
    expect(output).toContain('db: restart #2');
  });

  it('reports the health check failing, and waitHealthy gives up at its timeout', async () => {
    const health = new SwitchHealthCheck();
    const service = create('setInterval(() => {}, 1000)', health);
    service.start();
    health.healthy = true;
    await service.waitHealthy(2000);
    health.healthy = false;
    await waitFor(() => !service.status().healthy);
    expect(output).toContain('db: unhealthy: switch fails');
    expect(await service.waitHealthy(100)).toBe(false);
    expect(service.status().pid).not.toBeNull();
  });
});
