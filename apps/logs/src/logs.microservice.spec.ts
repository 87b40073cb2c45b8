import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, type LoadedConfig } from '@sogoms/config';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import { IpcClient, LOGS_PATTERNS, LogReporter, createClientProxy, type LogPage } from '@sogoms/ipc';
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

  it('reads a day back over IPC: filtered by kind and text, newest first, paged', async () => {
    const day = `${today.slice(0, 4)}-${today.slice(4, 6)}-${today.slice(6, 8)}`;
    // Older entries first in the file: the page must turn them around.
    for (let i = 0; i < 5; i++) {
      client.emit(LOGS_PATTERNS.event, {
        app: 'shop',
        kind: 'admin_audit',
        source: 'admin',
        message: `change ${i}`,
        at: new Date(Date.UTC(2030, 0, 1, 0, 0, i)).toISOString(),
        data: { who: i % 2 === 0 ? 'alice' : 'bob' },
      });
    }
    await waitForLines(join(logDir(), `shop-${today}-event.log`), 2006);
    const page = await client.call<LogPage>(LOGS_PATTERNS.query, {
      app: 'shop',
      day,
      kind: 'admin_audit',
      text: 'ALICE',
      limit: 2,
    });
    expect(page.total).toBe(3);
    expect(page.entries.map((entry) => entry.message)).toEqual(['change 4', 'change 2']);
    expect(page.entries[0]).toMatchObject({ type: 'event', source: 'admin' });
    expect(page.days).toContain(day);
    const next = await client.call<LogPage>(LOGS_PATTERNS.query, {
      app: 'shop',
      day,
      kind: 'admin_audit',
      text: 'alice',
      limit: 2,
      offset: 2,
    });
    expect(next.entries.map((entry) => entry.message)).toEqual(['change 0']);
    const errors = await client.call<LogPage>(LOGS_PATTERNS.query, { app: 'shop', day, type: 'error' });
    expect(errors.entries.map((entry) => entry.kind)).toEqual(['http_5xx']);
  });

  it('refuses a query that names no app, a path or a bad day with BAD_REQUEST', async () => {
    for (const query of [{}, { app: '../etc' }, { app: 'shop', day: '2026-02-31' }, { app: 'shop', type: 'x' }]) {
      await expect(client.call(LOGS_PATTERNS.query, query)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    const empty = await client.call<LogPage>(LOGS_PATTERNS.query, { app: 'shop', day: '2001-01-01' });
    expect(empty).toMatchObject({ total: 0, entries: [] });
  });
});
