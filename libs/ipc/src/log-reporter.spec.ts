import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  IpcClient,
  LOGS_PATTERNS,
  LogReporter,
  UnixSocketClient,
  socketPath,
  type LogEntry,
} from '@sogoms/ipc';

describe('LogReporter', () => {
  it('emits entries with source and time on the logs patterns', () => {
    const sent: { pattern: string; entry: LogEntry }[] = [];
    const reporter = new LogReporter(
      { emit: (pattern, entry) => sent.push({ pattern, entry: entry as LogEntry }) },
      'gateway',
    );
    reporter.error('shop', 'http_5xx', 'Unexpected error', { path: '/api/x' });
    reporter.event('sogoms', 'started', 'Gateway started');

    expect(sent.map((s) => s.pattern)).toEqual([LOGS_PATTERNS.error, LOGS_PATTERNS.event]);
    expect(sent[0].entry).toMatchObject({
      app: 'shop',
      kind: 'http_5xx',
      message: 'Unexpected error',
      source: 'gateway',
      data: { path: '/api/x' },
    });
    expect(Number.isNaN(Date.parse(sent[0].entry.at ?? ''))).toBe(false);
    expect(sent[1].entry).not.toHaveProperty('data');
  });

  it('never throws, even when the emitter does', () => {
    const reporter = new LogReporter(
      {
        emit: () => {
          throw new Error('socket exploded');
        },
      },
      'db',
    );
    expect(() => reporter.error('shop', 'x', 'y')).not.toThrow();
  });

  it('drops entries (counted) while the logs service is unreachable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sogoms-reporter-'));
    const client = new IpcClient(new UnixSocketClient({ path: socketPath(dir, 'logs') }), { timeoutMs: 500 });
    try {
      const reporter = new LogReporter(client, 'gateway');
      reporter.event('shop', 'login_failed', 'Failed login');
      reporter.event('shop', 'login_failed', 'Failed login');
      expect(client.dropped).toBe(2);
    } finally {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
