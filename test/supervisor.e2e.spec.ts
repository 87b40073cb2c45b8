import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDummyStack,
  startSupervisor,
  type DummyStack,
  type RunningSupervisor,
} from './support/dummy-services.js';
import { freePort } from './support/free-port.js';
import { runCli, waitUntil } from './support/stack.js';

interface StatusLine {
  name: string;
  pid: number | null;
  uptime_s: number | null;
  restarts: number;
  healthy: boolean;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A socket file nobody listens on, as a supervisor killed with -9 leaves behind. */
const leaveStaleSocket = async (path: string): Promise<void> => {
  const child = spawn(process.execPath, [
    '-e',
    `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`,
  ]);
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.kill('SIGKILL');
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
};

describe('supervisor (real processes, dummy services)', () => {
  let stack: DummyStack;
  let ctl: RunningSupervisor;

  const status = async (): Promise<StatusLine[]> => {
    const result = await runCli(stack.configRoot, ['status', '--json']);
    expect(result.code, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as { services: StatusLine[] }).services;
  };
  const service = async (name: string): Promise<StatusLine> => (await status()).find((s) => s.name === name)!;

  beforeAll(async () => {
    stack = createDummyStack(
      [
        // Listed dependants first: the supervisor must sort, not follow the file.
        { name: 'web', kind: 'http', dependsOn: ['alpha'] },
        { name: 'alpha', kind: 'socket', reloadSignal: 'SIGHUP' },
        { name: 'stubborn', kind: 'socket', ignoresSigterm: true },
      ],
      await freePort(),
    );
    mkdirSync(stack.runDir, { recursive: true });
    await leaveStaleSocket(join(stack.runDir, 'sogoctl.sock'));
    writeFileSync(join(stack.runDir, 'sogoctl.pid'), '999999\n');
    ctl = startSupervisor(stack.configRoot);
    await ctl.waitForOutput('SOGOMS is up');
  });

  afterAll(async () => {
    if (ctl !== undefined && ctl.child.exitCode === null) {
      ctl.child.kill('SIGTERM');
      await ctl.exited;
    }
    stack?.remove();
  });

  it('starts dependencies first, past a stale control socket, and writes its pid file', () => {
    const listening = stack.events().filter((e) => e.event === 'listening');
    expect(listening.map((e) => e.service).indexOf('alpha')).toBeLessThan(
      listening.map((e) => e.service).indexOf('web'),
    );
    expect(stack.events().some((e) => e.event === 'dependency-missing')).toBe(false);
    // The request path (web, an HTTP health check, and alpha) first; stubborn once web is healthy.
    const order = listening.map((e) => e.service);
    expect(order.indexOf('web')).toBeLessThan(order.indexOf('stubborn'));
    // web was spawned without waiting for alpha's health: it waited for alpha's socket itself.
    expect(
      stack
        .events()
        .filter((e) => e.event === 'spawned-early')
        .map((e) => e.service),
    ).toEqual(['web']);
    expect(readFileSync(join(stack.runDir, 'sogoctl.pid'), 'utf8').trim()).toBe(String(ctl.child.pid));
    // Children's lines carry their service name.
    expect(ctl.output()).toMatch(/^alpha +\| alpha listening$/m);
    expect(ctl.output()).toMatch(/^web +\| web listening on \d+$/m);
    expect(ctl.output()).toContain('SOGOMS is up: alpha, web, stubborn healthy');
  });

  it('reports status through the CLI: JSON object and a human table', async () => {
    const result = await runCli(stack.configRoot, ['status', '--json']);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { services: StatusLine[] };
    expect(Object.keys(parsed)).toEqual(['services']);
    expect(parsed.services.map((s) => s.name)).toEqual(['alpha', 'web', 'stubborn']);
    for (const line of parsed.services) {
      expect(Object.keys(line).sort()).toEqual([
        'healthy',
        'name',
        'pid',
        'restarts',
        'rss_bytes',
        'uptime_s',
      ]);
      expect(line.healthy).toBe(true);
      expect(line.restarts).toBe(0);
      expect(isAlive(line.pid!)).toBe(true);
      expect(line.uptime_s).toBeGreaterThanOrEqual(0);
    }

    const human = await runCli(stack.configRoot, ['status']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^SERVICE +PID +UPTIME +RESTARTS +HEALTHY +MEMORY$/m);
    expect(human.stdout).toMatch(
      new RegExp(`^web +${parsed.services[1].pid} +\\S+ +0 +yes +(\\d+ MB|-)$`, 'm'),
    );
  });

  it('restarts a service killed with -9, and it becomes healthy again', async () => {
    const before = await service('alpha');
    process.kill(before.pid!, 'SIGKILL');
    await waitUntil(
      'alpha to be back',
      async () => {
        const now = await service('alpha');
        return now.pid !== null && now.pid !== before.pid && now.healthy;
      },
      15_000,
    );
    const after = await service('alpha');
    expect(after.restarts).toBe(1);
    expect(isAlive(before.pid!)).toBe(false);
    expect(ctl.output()).toMatch(/alpha: killed by SIGKILL; restarting in \d+ ms/);
  });

  it('restart <service> stops it gracefully and starts a new process', async () => {
    const before = await service('web');
    const result = await runCli(stack.configRoot, ['restart', 'web']);
    expect(result.code, result.stderr).toBe(0);
    const after = await service('web');
    expect(after.pid).not.toBe(before.pid);
    expect(after.healthy).toBe(true);
    expect(result.stdout.trim()).toBe(`web restarted: pid ${after.pid}, healthy`);
    expect(stack.events()).toContainEqual({ service: 'web', pid: before.pid, event: 'sigterm' });
    expect(isAlive(before.pid!)).toBe(false);
  });

  it('restart kills a service that ignores SIGTERM after the grace period', async () => {
    const before = await service('stubborn');
    const result = await runCli(stack.configRoot, ['restart', 'stubborn']);
    expect(result.code, result.stderr).toBe(0);
    expect(stack.events()).toContainEqual({ service: 'stubborn', pid: before.pid, event: 'sigterm' });
    expect(ctl.output()).toContain('stubborn: still running 500 ms after SIGTERM; sending SIGKILL');
    expect((await service('stubborn')).pid).not.toBe(before.pid);
  });

  it('restart of an unknown service fails with exit 1 and names the services', async () => {
    const result = await runCli(stack.configRoot, ['restart', 'nope']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('sogoms: unknown service nope (services: alpha, web, stubborn)');
  });

  it('reload signals the services that take a reload signal, and only those', async () => {
    const alpha = await service('alpha');
    const result = await runCli(stack.configRoot, ['reload']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(`alpha: SIGHUP sent (pid ${alpha.pid})`);
    await waitUntil(
      'alpha to record SIGHUP',
      () => Promise.resolve(stack.events().some((e) => e.pid === alpha.pid && e.event === 'sighup')),
      5000,
    );
    expect(stack.events().some((e) => e.service !== 'alpha' && e.event === 'sighup')).toBe(false);
    expect((await service('alpha')).pid).toBe(alpha.pid);
  });

  it('a second supervisor on the same run dir refuses to start', async () => {
    const second = startSupervisor(stack.configRoot);
    expect(await second.exited).toBe(1);
    expect(second.output()).toBe(
      `sogoctl: a supervisor is already running (pid ${ctl.child.pid}) on ${join(stack.runDir, 'sogoctl.sock')}; ` +
        'use "npx sogoms status" or "npx sogoms stop"\n',
    );
  });

  it('stop ends every service in reverse order and the supervisor exits 0', async () => {
    const pids = (await status()).map((s) => s.pid!);
    const result = await runCli(stack.configRoot, ['stop']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('stopped stubborn, web, alpha; the supervisor exits');
    expect(await ctl.exited).toBe(0);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    const sigterms = stack.events().filter((e) => e.event === 'sigterm' && pids.includes(e.pid));
    expect(sigterms.map((e) => e.service)).toEqual(['stubborn', 'web', 'alpha']);
    expect(existsSync(join(stack.runDir, 'sogoctl.sock'))).toBe(false);
    expect(existsSync(join(stack.runDir, 'sogoctl.pid'))).toBe(false);

    const after = await runCli(stack.configRoot, ['status']);
    expect(after.code).toBe(2);
    expect(after.stderr).toMatch(
      /^sogoms: the supervisor is not running \(no control socket at .*sogoctl\.sock\)/,
    );
  });
});

describe('supervisor preflight', () => {
  let stack: DummyStack;

  beforeAll(async () => {
    stack = createDummyStack(
      [
        { name: 'alpha', kind: 'socket' },
        { name: 'web', kind: 'http', dependsOn: ['alpha'] },
      ],
      await freePort(),
    );
  });
  afterAll(() => stack?.remove());

  /** Runs the supervisor to its exit; preflight failures must not start anything. */
  const runToExit = async (): Promise<{ code: number; output: string }> => {
    const ctl = startSupervisor(stack.configRoot);
    const code = await ctl.exited;
    expect(stack.events()).toEqual([]);
    return { code, output: ctl.output() };
  };

  it('refuses a port in use and names the process that holds it', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(stack.httpPort, '127.0.0.1', () => resolve()));
    try {
      const { code, output } = await runToExit();
      expect(code).toBe(1);
      expect(output).toMatch(
        new RegExp(
          `^sogoctl: port ${stack.httpPort} \\(web\\) is already in use by pid ${process.pid} \\(\\S+\\)\\n$`,
        ),
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('reports a bad sogoctl.yaml with file, line, key and expectation', async () => {
    stack.writeSupervisorConfig(
      [
        'services:',
        '  - name: alpha',
        `    entry: ${join(stack.dir, 'services/alpha.mjs')}`,
        '  - name: web',
        `    entry: ${join(stack.dir, 'services/web.mjs')}`,
        '    depends_on: [alpah]',
        '',
      ].join('\n'),
    );
    const { code, output } = await runToExit();
    expect(code).toBe(1);
    expect(output).toBe(
      'sogoctl: invalid configuration: config/sogoctl.yaml:6: services[1].depends_on[0]: ' +
        'expected one of the other services (alpha), got "alpah"\n',
    );
  });

  it('reports a dependency cycle', async () => {
    const entry = join(stack.dir, 'services/alpha.mjs');
    stack.writeSupervisorConfig({
      services: [
        { name: 'a', entry, depends_on: ['b'] },
        { name: 'b', entry, depends_on: ['a'] },
      ],
    });
    const { code, output } = await runToExit();
    expect(code).toBe(1);
    expect(output).toBe(
      'sogoctl: invalid configuration: config/sogoctl.yaml: services: ' +
        'services depend on each other in a cycle: a -> b -> a\n',
    );
  });

  it("reports an app's unreachable MariaDB with the keys to change", async () => {
    stack.writeSupervisorConfig({
      services: [{ name: 'alpha', entry: join(stack.dir, 'services/alpha.mjs') }],
    });
    const closedPort = await freePort();
    const appDir = join(stack.configRoot, 'apps/shop');
    mkdirSync(appDir, { recursive: true });
    writeFileSync(
      join(appDir, 'app.yaml'),
      [
        'name: shop',
        'hosts: [shop.localhost]',
        'database:',
        '  host: 127.0.0.1',
        '  host_env: SOGOMS_TEST_CTL_UNSET_HOST',
        `  port: ${closedPort}`,
        '  name: sogoms_test_ctl_shop',
        'auth:',
        '  jwt_secret: shop-test-secret-0123456789abcdef-0123456789',
        '',
      ].join('\n'),
    );
    const { code, output } = await runToExit();
    expect(code).toBe(1);
    expect(output).toBe(
      `sogoctl: cannot reach MariaDB at 127.0.0.1:${closedPort} for app shop (connection refused); ` +
        'start it, or set database.host / SOGOMS_TEST_CTL_UNSET_HOST in config/apps/shop/app.yaml\n',
    );
  });
});

describe('supervisor signals and start failures', () => {
  let stack: DummyStack;

  beforeAll(async () => {
    stack = createDummyStack(
      [
        { name: 'alpha', kind: 'socket' },
        { name: 'web', kind: 'http', dependsOn: ['alpha'] },
      ],
      await freePort(),
    );
  });
  afterAll(() => stack?.remove());

  it('SIGTERM stops every service, dependants first, and exits 0', async () => {
    const ctl = startSupervisor(stack.configRoot);
    await ctl.waitForOutput('SOGOMS is up');
    const started = stack.events().filter((e) => e.event === 'listening');
    ctl.child.kill('SIGTERM');
    expect(await ctl.exited).toBe(0);
    for (const { pid } of started) expect(isAlive(pid)).toBe(false);
    expect(
      stack
        .events()
        .filter((e) => e.event === 'sigterm')
        .map((e) => e.service),
    ).toEqual(['web', 'alpha']);
    expect(ctl.output()).toContain('sogoctl | SIGTERM: stopping every service');
  });

  it('Ctrl-C in the terminal reaches only the supervisor, which stops the services in order', async () => {
    const ctl = startSupervisor(stack.configRoot, { ownProcessGroup: true });
    await ctl.waitForOutput('SOGOMS is up');
    const before = stack.events().length;
    // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
    process.kill(-ctl.child.pid!, 'SIGINT');
    expect(await ctl.exited).toBe(0);
    const events = stack.events().slice(before);
    // Had the services got the SIGINT themselves they would have died at once, without a SIGTERM.
    expect(events.filter((e) => e.event === 'sigterm').map((e) => e.service)).toEqual(['web', 'alpha']);
    expect(ctl.output()).toContain('sogoctl | SIGINT: stopping every service');
  });

  it('gives up when a service never becomes healthy, and leaves nothing running', async () => {
    const crashing = join(stack.dir, 'services/crashing.mjs');
    writeFileSync(crashing, 'console.error("no luck"); process.exit(7);\n');
    stack.writeSupervisorConfig({
      restart: { initial_delay_ms: 50, max_delay_ms: 200 },
      services: [
        {
          name: 'alpha',
          entry: join(stack.dir, 'services/alpha.mjs'),
          health: { kind: 'socket', interval_ms: 50 },
        },
        {
          name: 'crashing',
          entry: crashing,
          depends_on: ['alpha'],
          health: { kind: 'socket', interval_ms: 50 },
          start_timeout_s: 1,
        },
      ],
    });
    const before = stack.events().length;
    const ctl = startSupervisor(stack.configRoot);
    expect(await ctl.exited).toBe(1);
    const output = ctl.output();
    expect(output).toMatch(/^crashing +\| no luck$/m);
    expect(output).toContain('crashing: exited with code 7; restarting in 50 ms');
    expect(output).toContain(
      `crashing did not become healthy within 1 s (socket ${join(stack.runDir, 'crashing.sock')}); stopping`,
    );
    expect(output).not.toContain('SOGOMS is up');
    const alpha = stack
      .events()
      .slice(before)
      .find((e) => e.service === 'alpha' && e.event === 'listening')!;
    expect(isAlive(alpha.pid), output).toBe(false);
  });
});
