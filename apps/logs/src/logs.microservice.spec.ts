import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, type LoadedConfig } from '@sogoms/config';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import { IpcClient, LOGS_PATTERNS, LogReporter, createClientProxy } from '@sogoms/ipc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcDay } from './log-file-name.js';
import { startLogsService, type StartedLogsService } from './logs.bootstrap.js';
import type { LogLine } from './log-line.js';

const linesIn = (file: string): LogLine[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LogLine)
    : [];

/** Resolves once `file` holds `count` lines; rejects after `timeoutMs`. */
const waitForLines = async (file: string, count: number, timeoutMs = 5000): Promise<LogLine[]> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = linesIn(file);
    if (lines.length >= count) return lines;
    if (Date.now() > deadline) throw new Error(`${file}: ${lines.length} of ${count} lines`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('logs microservice over a Unix socket', () => {
  let fx: ConfigFixture;
  let config: LoadedConfig;
  let service: StartedLogsService;
  let client: IpcClient;
  const today = utcDay(new Date());
  const logDir = (): string => config.global.logDir;

  beforeAll(async () => {
    fx = createConfigFixture();
    fx.global({ run_dir: '../run', log_dir: '../logs' });
    fx.app('shop', { logs: { retention_days: 3 } });
    config = loadConfig(fx.root);
    // An expired file from before the start: retention runs at boot.
    mkdirSync(config.global.logDir, { recursive: true });
    writeFileSync(join(config.global.logDir, 'shop-20200101-error.log'), '{}\n');

    service = await startLogsService(config, { logger: false });
    client = new IpcClient(createClientProxy(config.global, 'logs'), { timeoutMs: 2000 });
    await client.connect();
  });

  afterAll(async () => {
    await client.close();
    await service.app.close();
    fx.remove();
  });

  it('listens on {run_dir}/logs.sock and deletes expired files at start', () => {
    expect(existsSync(resolve(fx.root, '../run/logs.sock'))).toBe(true);
    expect(existsSync(join(logDir(), 'shop-20200101-error.log'))).toBe(false);
  });

  it('writes events and errors sent through a real IpcClient to their files', async () => {
    const reporter = new LogReporter(client, 'gateway');
    reporter.event('shop', 'login_failed', 'Failed login', { email: 'a@b.c' });
    reporter.error('shop', 'http_5xx', 'Unexpected error');
    client.emit(LOGS_PATTERNS.event, { app: '../../etc', kind: 'x', source: 'test', message: 'escape?' });

    const [event] = await waitForLines(join(logDir(), `shop-${today}-event.log`), 1);
    expect(event).toMatchObject({
      app: 'shop',
      kind: 'login_failed',
      source: 'gateway',
      message: 'Failed login',
      data: { email: 'a@b.c' },
    });
    const [error] = await waitForLines(join(logDir(), `shop-${today}-error.log`), 1);
    expect(error).toMatchObject({ app: 'shop', kind: 'http_5xx' });
    const [stray] = await waitForLines(join(logDir(), `sogoms-${today}-event.log`), 1);
    expect(stray).toMatchObject({ app: '../../etc', message: 'escape?' });
    expect(client.dropped).toBe(0);
  });

  it('writes a burst of entries in the order they were sent', async () => {
    const file = join(logDir(), `shop-${today}-event.log`);
    const before = linesIn(file).length;
    for (let i = 0; i < 2000; i++) {
      client.emit(LOGS_PATTERNS.event, { app: 'shop', kind: 'burst', source: 't', message: `${i}` });
    }
    const burst = (await waitForLines(file, before + 2000)).filter((line) => line.kind === 'burst');
    expect(burst.map((line) => line.message)).toEqual(Array.from({ length: 2000 }, (_, i) => `${i}`));
  });
});
