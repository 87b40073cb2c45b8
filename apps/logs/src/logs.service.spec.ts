import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogFileWriter } from './log-file-writer.js';
import type { LogLine } from './log-line.js';
import { LogsSettingsStore } from './logs-settings.js';
import { LogsService } from './logs.service.js';
import { FakeClock } from './testing/fake-clock.js';

describe('LogsService', () => {
  let base: string;
  let logDir: string;
  let writer: LogFileWriter;
  let settings: LogsSettingsStore;
  let logs: LogsService;

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'sogoms-logs-'));
    logDir = join(base, 'a', 'logs');
    const clock = new FakeClock(new Date('2026-11-25T08:00:00Z'));
    settings = new LogsSettingsStore({ logDir, retentionDays: new Map([['prokov', 14]]) });
    writer = new LogFileWriter(settings, clock);
    writer.onModuleInit();
    logs = new LogsService(settings, writer, clock);
  });
  afterEach(async () => {
    await writer.close();
    rmSync(base, { recursive: true, force: true });
  });

  const linesOf = async (name: string): Promise<LogLine[]> => {
    await writer.close();
    return readFileSync(join(logDir, name), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogLine);
  };

  it('writes a JSON line with every field, filling in the time when absent', async () => {
    logs.record('error', { app: 'prokov', kind: 'http_5xx', source: 'gateway', message: 'Boom', data: { path: '/api/x' } });
    logs.record('error', { app: 'prokov', kind: 'k', source: 's', message: 'm', at: '2026-11-25T07:00:00.000Z' });
    const lines = await linesOf('prokov-20261125-error.log');
    expect(lines[0]).toEqual({
      at: '2026-11-25T08:00:00.000Z',
      app: 'prokov',
      kind: 'http_5xx',
      source: 'gateway',
      message: 'Boom',
      data: { path: '/api/x' },
    });
    expect(Object.keys(lines[0])).toEqual(['at', 'app', 'kind', 'source', 'message', 'data']);
    expect(lines[1].at).toBe('2026-11-25T07:00:00.000Z');
  });

  it('sends unknown apps to the sogoms file, keeping the name as data', async () => {
    logs.record('event', { app: 'ghost', kind: 'k', source: 's', message: 'm' });
    await writer.close();
    expect(readdirSync(logDir)).toEqual(['sogoms-20261125-event.log']);
    expect((await linesOf('sogoms-20261125-event.log'))[0].app).toBe('ghost');
  });

  it('never lets an app name escape the log folder', async () => {
    for (const app of ['../x', '../../a/evil', '/etc/passwd', 'prokov/../../x', 'prokov\u0000', '..']) {
      logs.record('error', { app, kind: 'k', source: 's', message: 'attempt' });
    }
    await writer.close();
    expect(readdirSync(logDir)).toEqual(['sogoms-20261125-error.log']);
    expect(readdirSync(join(base, 'a'))).toEqual(['logs']);
    expect(readdirSync(base)).toEqual(['a']);
    expect(await linesOf('sogoms-20261125-error.log')).toHaveLength(6);
  });

  it('learns new apps from a reload', async () => {
    settings.replace({ logDir: '/elsewhere', retentionDays: new Map([['shop', 3]]) });
    logs.record('event', { app: 'shop', kind: 'k', source: 's', message: 'm' });
    await writer.close();
    expect(readdirSync(logDir)).toEqual(['shop-20261125-event.log']);
    expect(settings.retentionDaysOf('shop')).toBe(3);
  });

  it('keeps malformed entries with placeholders and bounds their size', async () => {
    logs.record('event', 'just a string');
    logs.record('event', { app: 'prokov', kind: 42, message: { nested: true }, data: 'x'.repeat(70_000), at: 'yesterday' });
    const lines = await linesOf('sogoms-20261125-event.log');
    expect(lines[0]).toEqual({
      at: '2026-11-25T08:00:00.000Z',
      app: 'sogoms',
      kind: 'unknown',
      source: 'unknown',
      message: 'just a string',
    });
    const [prokov] = await linesOf('prokov-20261125-event.log');
    expect(prokov).toMatchObject({ kind: 'unknown', message: '{"nested":true}', data: { truncated: true } });
    expect(prokov.at).toBe('2026-11-25T08:00:00.000Z');
  });
});
