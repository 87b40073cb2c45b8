import { loadAppConfigs } from '@sogoms/config';
import { createConfigFixture, problemsOf, type ConfigFixture } from '@sogoms/config/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCronConfigs } from './cron-config.loader.js';

describe('cron.yaml', () => {
  let fx: ConfigFixture;
  beforeEach(() => {
    fx = createConfigFixture();
    fx.app('shop', { timezone: 'Europe/Paris', smtp: { host: '127.0.0.1', from: 'a@b.test' } });
    fx.write('apps/shop/emails/digest.yaml', 'subject: Hi\ntext: hi\n');
    fx.write('apps/shop/queries/named/due.sql', 'SELECT email FROM users WHERE app = :app AND day = :today');
  });
  afterEach(() => fx.remove());

  const load = () => loadCronConfigs(fx.root, loadAppConfigs(fx.root));

  it('is optional: an app without cron.yaml has no jobs', () => {
    fx.app('other');
    expect(load().map((c) => c.app)).toEqual([]);
  });

  it('fills in defaults; the zone defaults to app.yaml timezone', () => {
    fx.write('apps/shop/cron.yaml', {
      jobs: [
        { name: 'ping', type: 'http', schedule: '*/5 * * * *', url: 'https://example.com/ping' },
        {
          name: 'clean',
          type: 'service',
          schedule: '@daily',
          timezone: 'UTC',
          pattern: 'db.query',
          payload: { sql: 'DELETE FROM t' },
        },
        {
          name: 'digest',
          type: 'query_email',
          schedule: '0 8 * * 1-5',
          query: 'due',
          group_by: 'email',
          template: 'digest',
        },
      ],
    });
    const [cron] = load();
    expect(cron).toMatchObject({ app: 'shop', leaseS: 30, historyDays: 7 });
    expect(cron.jobs[0]).toMatchObject({
      type: 'http',
      timezone: 'Europe/Paris',
      enabled: true,
      timeoutS: 60,
      retry: { maxAttempts: 1, delayS: 30, backoff: 'fixed' },
      overlap: 'skip',
      catchUp: 'none',
      method: 'GET',
      allowPrivate: false,
      maxResponseBytes: 65536,
    });
    expect(cron.jobs[1]).toMatchObject({ type: 'service', timezone: 'UTC', pattern: 'db.query' });
    expect(cron.jobs[2]).toMatchObject({
      type: 'query_email',
      toField: 'email',
      sql: { params: ['app', 'today'] },
    });
  });

  it('refuses a bad expression, zone, type, query, template and pattern with file, line and key', () => {
    fx.write(
      'apps/shop/cron.yaml',
      [
        'jobs:',
        '  - name: a',
        '    type: http',
        '    schedule: "61 * * * *"',
        '    url: https://example.com',
        '  - name: b',
        '    type: http',
        '    schedule: "* * * * *"',
        '    timezone: Mars/Olympus',
        '    url: https://example.com',
        '  - name: c',
        '    type: shell',
        '    schedule: "* * * * *"',
        '  - name: d',
        '    type: query_email',
        '    schedule: "* * * * *"',
        '    query: nope',
        '    group_by: email',
        '    template: missing',
        '  - name: e',
        '    type: service',
        '    schedule: "* * * * *"',
        '    pattern: gateway.shutdown',
        '',
      ].join('\n'),
    );
    const problems = problemsOf(load);
    expect(problems.map((p) => `${p.file}:${p.line}:${p.key}`)).toEqual([
      'config/apps/shop/cron.yaml:4:jobs[0].schedule',
      'config/apps/shop/cron.yaml:9:jobs[1].timezone',
      'config/apps/shop/cron.yaml:12:jobs[2].type',
      'config/apps/shop/cron.yaml:17:jobs[3].query',
      'config/apps/shop/cron.yaml:19:jobs[3].template',
      'config/apps/shop/cron.yaml:23:jobs[4].pattern',
    ]);
    expect(problems[0].got).toContain('out of range');
    expect(problems[2].expected).toBe('one of http, service, query_email');
  });

  it('refuses duplicate names, unknown keys and a query_email job of an app without smtp', () => {
    fx.app('nomail');
    fx.write('apps/nomail/emails/digest.yaml', 'subject: Hi\ntext: hi\n');
    fx.write('apps/nomail/queries/named/due.sql', 'SELECT 1 AS email');
    fx.write('apps/nomail/cron.yaml', {
      jobs: [
        {
          name: 'x',
          type: 'query_email',
          schedule: '@hourly',
          query: 'due',
          group_by: 'email',
          template: 'digest',
        },
        { name: 'x', type: 'http', schedule: '@hourly', url: 'https://example.com' },
        { name: 'y', type: 'http', schedule: '@hourly', url: 'https://example.com', retries: 3 },
      ],
    });
    const problems = problemsOf(load);
    expect(problems.map((p) => p.key)).toEqual(['jobs[0].type', 'jobs[1].name', 'jobs[2].retries']);
    expect(problems[2].expected).toContain('retry, overlap');
  });

  it('refuses a named query with placeholders it cannot fill', () => {
    fx.write('apps/shop/queries/named/due.sql', 'SELECT email FROM users WHERE id = :user_id');
    fx.write('apps/shop/cron.yaml', {
      jobs: [
        {
          name: 'digest',
          type: 'query_email',
          schedule: '@daily',
          query: 'due',
          group_by: 'email',
          template: 'digest',
        },
      ],
    });
    expect(problemsOf(load)).toEqual([expect.objectContaining({ key: 'jobs[0].query', got: ':user_id' })]);
  });

  it('gives a changed job a new fingerprint and an unchanged one the same', () => {
    const job = { name: 'ping', type: 'http', schedule: '*/5 * * * *', url: 'https://example.com/ping' };
    fx.write('apps/shop/cron.yaml', { jobs: [job] });
    const first = load()[0].jobs[0].fingerprint;
    expect(load()[0].jobs[0].fingerprint).toBe(first);
    fx.write('apps/shop/cron.yaml', { jobs: [{ ...job, schedule: '*/10 * * * *' }] });
    expect(load()[0].jobs[0].fingerprint).not.toBe(first);
  });
});
