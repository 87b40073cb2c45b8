import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect as connectSocket, type Socket } from 'node:net';
import { join } from 'node:path';
import { loadGlobalConfig, type GlobalConfig } from '@sogoms/config';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import { IpcClient, LogReporter, createClientProxy } from '@sogoms/ipc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// Runs the built service (`npm run build` first), as the supervisor does.
const MAIN = join(import.meta.dirname, '..', 'dist/apps/logs/src/main.js');

const today = (): string => new Date().toISOString().slice(0, 10).replaceAll('-', '');

const lineCount = (file: string): number =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;

const waitFor = async (what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

interface Running {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

const start = (configRoot: string): Running => {
  const child = spawn(process.execPath, [MAIN, '--config', configRoot], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
};

describe('logs service process (dist/apps/logs/src/main.js)', () => {
  let fx: ConfigFixture;
  let global: GlobalConfig;
  let running: Running | undefined;
  let client: IpcClient | undefined;

  beforeEach(() => {
    fx = createConfigFixture();
    fx.app('shop');
    global = loadGlobalConfig(fx.root);
  });
  afterEach(async () => {
    await client?.close();
    if (running !== undefined && running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill('SIGKILL');
      await running.exit;
    }
    fx.remove();
  });

  const connect = async (): Promise<IpcClient> => {
    // The file appears at bind(), a moment before the service accepts: wait for an accept.
    const socket = join(global.runDir, 'logs.sock');
    let accepting = false;
    await waitFor('the logs socket', () => {
      if (existsSync(socket))
        connectSocket(socket)
          .once('connect', function (this: Socket) {
            accepting = true;
            this.destroy();
          })
          .once('error', () => undefined);
      return accepting;
    });
    client = new IpcClient(createClientProxy(global, 'logs'), { timeoutMs: 2000 });
    await client.connect();
    return client;
  };

  it('writes entries, learns new apps on SIGHUP and exits cleanly on SIGTERM', async () => {
    running = start(fx.root);
    const reporter = new LogReporter(await connect(), 'test');
    const shopFile = join(global.logDir, `shop-${today()}-event.log`);
    reporter.event('shop', 'first', 'one');
    await waitFor('the first line', () => lineCount(shopFile) === 1);

    fx.app('blog');
    running.child.kill('SIGHUP');
    const blogFile = join(global.logDir, `blog-${today()}-event.log`);
    // Until the reload lands blog entries go to sogoms-...; keep sending until one reaches blog's file.
    await waitFor('the reload', () => {
      reporter.event('blog', 'after_reload', 'x');
      return lineCount(blogFile) > 0;
    });

    for (let i = 0; i < 200; i++) reporter.event('shop', 'burst', `${i}`);
    await waitFor('the burst', () => lineCount(shopFile) === 201);
    running.child.kill('SIGTERM');
    await running.exit;
    // A clean exit after the shutdown hooks, with the socket removed (it stays behind when the
    // process dies without closing).
    expect(running.child.signalCode ?? running.child.exitCode).toBe(0);
    expect(existsSync(join(global.runDir, 'logs.sock'))).toBe(false);
    expect(lineCount(shopFile)).toBe(201);
  });

  it('refuses to start on a bad configuration, naming file and key', async () => {
    fx.app('shop', { auth: { jwt_secret: 'short' } });
    running = start(fx.root);
    expect(await running.exit).toBe(1);
    expect(running.output()).toContain(
      'config/apps/shop/app.yaml:7: auth.jwt_secret: expected a string of at least 32 characters, got 5 characters',
    );
  });
});
