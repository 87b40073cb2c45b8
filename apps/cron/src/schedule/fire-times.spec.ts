import { CronJob } from 'cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireTimesAfter, inZone, latestFireTimeBetween } from './fire-times.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('fire times (a fake clock: `now` is given)', () => {
  afterEach(() => vi.useRealTimers());

  it.each([
    // expression, zone, now (UTC), the next fire times (UTC)
    [
      '0 8 * * 1-5',
      'Europe/Paris',
      '2026-03-27T07:30:00Z',
      ['2026-03-30T06:00:00.000Z', '2026-03-31T06:00:00.000Z'],
    ],
    // Friday 08:00 Paris in winter is 07:00 UTC; the Monday after the change is 06:00 UTC.
    [
      '0 8 * * 1-5',
      'Europe/Paris',
      '2026-03-27T06:59:00Z',
      ['2026-03-27T07:00:00.000Z', '2026-03-30T06:00:00.000Z'],
    ],
    // Spring forward (29 March 2026, 02:00 → 03:00): 02:30 does not exist, the job runs once, at 03:00.
    [
      '30 2 * * *',
      'Europe/Paris',
      '2026-03-28T12:00:00Z',
      ['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z'],
    ],
    // Fall back (25 October 2026, 03:00 → 02:00): 02:30 happens twice, the job runs once.
    [
      '30 2 * * *',
      'Europe/Paris',
      '2026-10-24T12:00:00Z',
      ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z'],
    ],
    // An hourly job runs at both 02:00 of the fall-back night: two different instants.
    [
      '0 * * * *',
      'Europe/Paris',
      '2026-10-24T23:30:00Z',
      ['2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z', '2026-10-25T02:00:00.000Z'],
    ],
    // Six fields: seconds first.
    [
      '*/15 * * * * *',
      'UTC',
      '2026-03-27T09:00:07Z',
      ['2026-03-27T09:00:15.000Z', '2026-03-27T09:00:30.000Z', '2026-03-27T09:00:45.000Z'],
    ],
    [
      '@daily',
      'America/New_York',
      '2026-03-27T12:00:00Z',
      ['2026-03-28T04:00:00.000Z', '2026-03-29T04:00:00.000Z'],
    ],
    ['@hourly', 'UTC', '2026-03-27T12:00:00Z', ['2026-03-27T13:00:00.000Z']],
  ])('%s in %s after %s', (schedule, zone, now, expected) => {
    expect(fireTimesAfter(schedule, zone, at(now), expected.length).map(iso)).toEqual(expected);
    // The CronJob the scheduler registers agrees, under a fake system clock.
    vi.useFakeTimers({ now: at(now) });
    const job = CronJob.from({ cronTime: schedule, timeZone: zone, onTick: () => undefined, start: false });
    expect(job.nextDates(expected.length).map((d) => iso(d.toMillis()))).toEqual(expected);
  });

  it('fires a 02:30 Paris job once on each change day when the clock runs through the night', () => {
    vi.useFakeTimers({ now: at('2026-03-28T22:00:00Z') });
    const ticks: number[] = [];
    const job = CronJob.from({
      cronTime: '30 2 * * *',
      timeZone: 'Europe/Paris',
      onTick: () => void ticks.push(Date.now()),
      start: true,
    });
    vi.advanceTimersByTime(6 * 3600_000);
    vi.setSystemTime(at('2026-10-24T21:00:00Z'));
    void job.stop();
    job.start();
    vi.advanceTimersByTime(8 * 3600_000);
    void job.stop();
    expect(ticks.map((t) => iso(Math.floor(t / 1000) * 1000))).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-10-25T00:30:00.000Z',
    ]);
  });

  it('shows a fire time with its zone offset', () => {
    expect(inZone(at('2026-03-30T06:00:00Z'), 'Europe/Paris')).toBe('2026-03-30T08:00:00+02:00');
    expect(inZone(at('2026-01-05T07:00:00Z'), 'Europe/Paris')).toBe('2026-01-05T08:00:00+01:00');
    expect(inZone(at('2026-01-05T07:00:00Z'), 'UTC')).toBe('2026-01-05T07:00:00+00:00');
  });

  it('finds the latest missed fire time for catch_up: last, however long the outage', () => {
    const every = '* * * * * *';
    expect(
      iso(latestFireTimeBetween(every, 'UTC', at('2026-03-01T00:00:00Z'), at('2026-03-27T09:00:07.400Z'))!),
    ).toBe('2026-03-27T09:00:07.000Z');
    expect(
      iso(
        latestFireTimeBetween(
          '0 8 * * 1-5',
          'Europe/Paris',
          at('2026-03-20T07:00:00Z'),
          at('2026-03-29T12:00:00Z'),
        )!,
      ),
    ).toBe('2026-03-27T07:00:00.000Z');
    // Nothing after the last run: nothing to catch up.
    expect(
      latestFireTimeBetween('@daily', 'UTC', at('2026-03-27T00:00:00Z'), at('2026-03-27T23:00:00Z')),
    ).toBeNull();
  });
});
