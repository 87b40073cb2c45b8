import { describe, expect, it } from 'vitest';
import { expiredLogFiles } from './retention-plan.js';

const retention: Record<string, number> = { prokov: 14, shop: 1 };
const daysOf = (app: string): number => retention[app] ?? 30;

describe('expiredLogFiles', () => {
  const today = new Date('2026-11-25T10:00:00Z');

  it('keeps today and the retention days before it, deletes older files', () => {
    const names = [
      'prokov-20261125-error.log', // today
      'prokov-20261111-event.log', // 14 days old: kept
      'prokov-20261110-event.log', // 15 days old: deleted
      'prokov-20251125-error.log', // a year old
    ];
    expect(expiredLogFiles(names, today, daysOf)).toEqual(['prokov-20261110-event.log', 'prokov-20251125-error.log']);
  });

  it('applies each app its own retention, and the default to others', () => {
    const names = ['shop-20261124-error.log', 'shop-20261123-error.log', 'sogoms-20261026-event.log', 'sogoms-20261025-event.log'];
    expect(expiredLogFiles(names, today, daysOf)).toEqual(['shop-20261123-error.log', 'sogoms-20261025-event.log']);
  });

  it('counts UTC days: a file from yesterday is one day old just after midnight', () => {
    expect(expiredLogFiles(['shop-20261124-error.log'], new Date('2026-11-25T00:00:01Z'), daysOf)).toEqual([]);
    expect(expiredLogFiles(['shop-20261123-error.log'], new Date('2026-11-24T23:59:59Z'), daysOf)).toEqual([]);
  });

  it('never lists files that are not log files', () => {
    const names = ['README', 'prokov-20001125-error.log.bak', '../prokov-20001125-error.log', 'prokov-2000-error.log'];
    expect(expiredLogFiles(names, today, daysOf)).toEqual([]);
  });
});
