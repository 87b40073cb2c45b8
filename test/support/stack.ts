import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { freePort } from './free-port.js';
import { httpCall, type HttpAnswer, type HttpCall } from './http-client.js';
import {
  PROJECT_ROOT,
  writeTestConfig,
  type TestAppSpec,
  type TestConfig,
  type TestConfigOptions,
} from './test-config.factory.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TestStack {
  config: TestConfig;
  call(call: HttpCall): Promise<HttpAnswer>;
  /** Runs `bin/sogoms.js <args> --config <root>` and collects its output. */
  cli(...args: string[]): Promise<CliResult>;
  /** Everything the supervisor printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export const runCli = (configRoot: string, args: string[]): Promise<CliResult> =>
  new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(PROJECT_ROOT, 'bin/sogoms.js'), ...args, '--config', configRoot],
      {
        cwd: PROJECT_ROOT,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });

export const dropDatabase = async (name: string): Promise<void> => {
  const connection = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await connection.end();
  }
};

const waitUntil = async (what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/**
 * Starts the real supervisor (which starts logs, db, mailer and gateway) on a temp config; needs `npm run build`.
 * Given app specs, it writes that config; given a TestConfig (from writeTestConfig, with apps a
 * test wrote itself, e.g. by `sogoms app create`), it runs on it. `stop()` removes it either way.
 */
export const startStack = async (
  apps: TestAppSpec[] | TestConfig,
  options: TestConfigOptions = {},
): Promise<TestStack> => {
  const config = Array.isArray(apps) ? writeTestConfig(await freePort(), apps, options) : apps;
  let output = '';
  const ctl: ChildProcess = spawn(
    process.execPath,
    [join(PROJECT_ROOT, 'dist/bundle/ctl/main.js'), '--config', config.configRoot],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  ctl.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  ctl.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => ctl.once('exit', () => resolve()));
  const call = (c: HttpCall): Promise<HttpAnswer> => httpCall(config.gatewayPort, c);
  const stop = async (): Promise<void> => {
    if (ctl.exitCode === null && ctl.signalCode === null) {
      ctl.kill('SIGTERM');
      const killer = setTimeout(() => ctl.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(config.dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      'the gateway to be healthy',
      async () => (await call({ path: '/health' })).status === 200,
      30_000,
    );
    // The gateway is up first; mailer, push and cron start after it (docs/supervisor.md).
    await waitUntil('every service to be up', () => Promise.resolve(output.includes('SOGOMS is up')), 30_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; supervisor output:\n${output}`, { cause: error });
  }
  return { config, call, cli: (...args) => runCli(config.configRoot, args), output: () => output, stop };
};

export { waitUntil };
