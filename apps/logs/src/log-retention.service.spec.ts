import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogRetentionService } from './log-retention.service.js';
import { LogsSettingsStore } from './logs-settings.js';
import { FakeClock } from './testing/fake-clock.js';

describe('LogRetentionService', () => {
  let dir: string;
  let clock: FakeClock;
  let retention: LogRetentionService;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sogoms-retention-'));
    clock = new FakeClock(new Date('2026-11-25T12:00:00Z'));
    const settings = new LogsSettingsStore({ logDir: dir, retentionDays: new Map([['prokov', 2]]) });
    retention = new LogRetentionService(settings, clock);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const touch = (...names: string[]): void => names.forEach((name) => writeFileSync(join(dir, name), '{}\n'));

  it('deletes expired files from disk and leaves the rest', async () => {
    touch(
      'prokov-20261125-error.log',
      'prokov-20261123-event.log',
      'prokov-20261122-event.log',
      'sogoms-20261010-error.log',
      'sogoms-20261115-error.log',
      'keep-me.txt',
    );
    expect((await retention.sweep()).sort()).toEqual(['prokov-20261122-event.log', 'sogoms-20261010-error.log']);
    expect(readdirSync(dir).sort()).toEqual([
      'keep-me.txt',
      'prokov-20261123-event.log',
      'prokov-20261125-error.log',
      'sogoms-20261115-error.log',
    ]);
  });

  it('follows the clock: a day later the next file expires', async () => {
    touch('prokov-20261123-event.log');
    expect(await retention.sweep()).toEqual([]);
    clock.advance(86_400_000);
    expect(await retention.sweep()).toEqual(['prokov-20261123-event.log']);
    expect(existsSync(join(dir, 'prokov-20261123-event.log'))).toBe(false);
  });

  it('treats a missing log folder as empty', async () => {
    rmSync(dir, { recursive: true });
    expect(await retention.sweep()).toEqual([]);
  });
});
