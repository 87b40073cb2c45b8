import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDLE_CLOSE_MS, LogFileWriter } from './log-file-writer.js';
import { LogsSettingsStore } from './logs-settings.js';
import { FakeClock } from './testing/fake-clock.js';

describe('LogFileWriter', () => {
  let base: string;
  let logDir: string;
  let clock: FakeClock;
  let writer: LogFileWriter;

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'sogoms-writer-'));
    logDir = join(base, 'logs');
    clock = new FakeClock(new Date('2026-11-25T23:59:00Z'));
    writer = new LogFileWriter(new LogsSettingsStore({ logDir, retentionDays: new Map() }), clock);
    writer.onModuleInit();
  });
  afterEach(async () => {
    await writer.close();
    rmSync(base, { recursive: true, force: true });
  });

  const read = (name: string): string[] => readFileSync(join(logDir, name), 'utf8').split('\n').filter(Boolean);

  it('creates the folder and appends lines to one file per app, type and day', async () => {
    writer.append('prokov', 'error', '20261125', '{"n":1}');
    writer.append('prokov', 'error', '20261125', '{"n":2}');
    writer.append('prokov', 'event', '20261125', '{"n":3}');
    writer.append('sogoms', 'error', '20261125', '{"n":4}');
    expect(writer.openFiles()).toHaveLength(3);
    await writer.close();
    expect(readdirSync(logDir).sort()).toEqual([
      'prokov-20261125-error.log',
      'prokov-20261125-event.log',
      'sogoms-20261125-error.log',
    ]);
    expect(read('prokov-20261125-error.log')).toEqual(['{"n":1}', '{"n":2}']);
  });

  it('moves to a new file when the day changes, closing the old stream', async () => {
    writer.append('prokov', 'event', '20261125', '"before"');
    writer.append('prokov', 'event', '20261126', '"after"');
    expect(writer.openFiles()).toEqual([join(logDir, 'prokov-20261126-event.log')]);
    await writer.close();
    expect(read('prokov-20261125-event.log')).toEqual(['"before"']);
    expect(read('prokov-20261126-event.log')).toEqual(['"after"']);
  });

  it('closes idle streams and reopens on the next entry, appending', async () => {
    writer.append('prokov', 'event', '20261125', '"one"');
    clock.advance(IDLE_CLOSE_MS - 1);
    writer.closeIdle();
    expect(writer.openFiles()).toHaveLength(1);
    clock.advance(1);
    writer.closeIdle();
    expect(writer.openFiles()).toHaveLength(0);
    writer.append('prokov', 'event', '20261125', '"two"');
    await writer.close();
    expect(read('prokov-20261125-event.log')).toEqual(['"one"', '"two"']);
  });

  it('flushes everything still buffered on close', async () => {
    const line = JSON.stringify({ message: 'x'.repeat(200) });
    for (let i = 0; i < 20_000; i++) writer.append('prokov', 'event', '20261125', line);
    await writer.close();
    expect(read('prokov-20261125-event.log')).toHaveLength(20_000);
  });

  it('drops entries after close', async () => {
    await writer.close();
    writer.append('prokov', 'event', '20261125', '"late"');
    expect(readdirSync(logDir)).toEqual([]);
  });
});
