import { describe, expect, it } from 'vitest';
import { epochDay, logFileName, parseLogFileName, utcDay } from './log-file-name.js';

describe('log file names', () => {
  it('names files {app}-{YYYYMMDD}-{type}.log by UTC day', () => {
    expect(logFileName('prokov', utcDay(new Date('2026-11-25T23:59:59Z')), 'error')).toBe('prokov-20261125-error.log');
    // 00:30 in UTC+2 is still the previous UTC day.
    expect(utcDay(new Date('2026-11-26T00:30:00+02:00'))).toBe('20261125');
  });

  it('parses its own names back, app names with dashes included', () => {
    expect(parseLogFileName('my-shop-20260102-event.log')).toEqual({ app: 'my-shop', day: '20260102', type: 'event' });
  });

  it.each([
    'prokov-20261125-debug.log',
    'prokov-2026112-error.log',
    'prokov-20260231-error.log',
    'Prokov-20261125-error.log',
    '..-20261125-error.log',
    'prokov-20261125-error.log.gz',
    'notes.txt',
  ])('does not take %j for a log file', (name) => {
    expect(parseLogFileName(name)).toBeUndefined();
  });

  it('refuses to build a name from an unsafe app name', () => {
    for (const app of ['../x', 'a/b', '.hidden', 'UPPER', '', 'x'.repeat(65)]) {
      expect(() => logFileName(app, '20261125', 'event')).toThrow('Unsafe log file name');
    }
  });

  it('counts days across month and leap-year ends', () => {
    expect((epochDay('20240301') as number) - (epochDay('20240228') as number)).toBe(2);
    expect(epochDay('20230229')).toBeUndefined();
  });
});
