import { CronTime } from 'cron';

/** The next `count` fire times of `schedule` in `timezone` strictly after `after` (epoch ms). */
export const fireTimesAfter = (
  schedule: string,
  timezone: string,
  after: number,
  count: number,
): number[] => {
  const time = new CronTime(schedule, timezone);
  const out: number[] = [];
  let from = new Date(after);
  for (let i = 0; i < count; i++) {
    const next = time.getNextDateFrom(from, timezone).toMillis();
    out.push(next);
    from = new Date(next);
  }
  return out;
};

/** A fire time as its zone reads it, e.g. `2026-03-30T08:00:00+02:00`. */
export const inZone = (epochMs: number, timezone: string): string => {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  }).formatToParts(new Date(epochMs));
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  const offset = part('timeZoneName').replace(/^GMT/, '') || '+00:00';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}${offset === '' ? 'Z' : offset}`;
};

/** The calendar day of an instant in a zone, `YYYY-MM-DD` (a query's `:today`). */
export const dayInZone = (epochMs: number, timezone: string): string =>
  inZone(epochMs, timezone).slice(0, 10);

/**
 * The latest fire time after `after` and at or before `until` (epoch ms), or null: what
 * `catch_up: last` runs. It looks back from `until` in doubling windows, so a long outage of a
 * job that fires every second costs a few steps, not one per missed fire time.
 */
export const latestFireTimeBetween = (
  schedule: string,
  timezone: string,
  after: number,
  until: number,
): number | null => {
  if (until <= after) return null;
  for (let window = 1000; ; window *= 2) {
    const from = Math.max(after, until - window);
    const [first] = fireTimesAfter(schedule, timezone, from, 1);
    if (first <= until) {
      let latest = first;
      for (;;) {
        const [next] = fireTimesAfter(schedule, timezone, latest, 1);
        if (next > until) return latest;
        latest = next;
      }
    }
    if (from === after) return null;
  }
};
