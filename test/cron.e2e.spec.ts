import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminConnection } from '@sogoms/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';
import { parsePrometheusText, scrape, valueOf, type Sample } from './support/prometheus-text.js';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.js';
import { dropDatabase, startStack, waitUntil, type TestStack } from './support/stack.js';
import { PROJECT_ROOT } from './support/test-config.factory.js';

const DB = `sogoms_test_cron_${randomBytes(3).toString('hex')}`;
const SECRET = 'cron-e2e-secret-0123456789abcdef0123456789ab';
const DEMO = join(PROJECT_ROOT, 'config/apps/prokov');

/** Resident memory of a process, in MB (Linux). */
const rssMb = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024;
};

/** Today in Paris, as the demo job's :today reads it. */
const parisToday = (): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

describe('cron in the real stack (supervisor, db, mailer, SMTP peer)', () => {
  let peer: SmtpPeer;
  let stack: TestStack;
  let cronYaml: string;
  let metricsPort: number;
  const samples = async (): Promise<Sample[]> => parsePrometheusText((await scrape(metricsPort)).text);

  beforeAll(async () => {
    peer = await startSmtpPeer();
    metricsPort = await freePort();
    stack = await startStack(
      [
        {
          name: 'shop',
          hosts: ['shop.localhost'],
          database: DB,
          initFromDemo: true,
          secret: SECRET,
          appYaml: { smtp: { host: '127.0.0.1', port: peer.port, starttls: 'off', from: 'shop@shop.test' } },
        },
      ],
      { metricsPort },
    );
    // The demo's tasks_today job, query and template, as prokov ships them.
    const app = join(stack.config.configRoot, 'apps/shop');
    mkdirSync(join(app, 'emails'), { recursive: true });
    cpSync(join(DEMO, 'queries'), join(app, 'queries'), { recursive: true });
    cpSync(join(DEMO, 'emails/tasks_today.yaml'), join(app, 'emails/tasks_today.yaml'));
    cronYaml = join(app, 'cron.yaml');
    cpSync(join(DEMO, 'cron.yaml'), cronYaml);
    const today = parisToday();
    const db = await adminConnection(DB);
    await db.query(`UPDATE tasks SET due_date = '2020-01-01'`);
    await db.query(
      `INSERT INTO tasks (user_id, project_id, status_id, title, due_date, position) VALUES
        (1, 1, 2, 'Water the plants', ?, 90), (1, NULL, NULL, 'Call the bank', ?, 91),
        (2, NULL, NULL, 'Review the release', ?, 92), (1, 1, 4, 'Already done', ?, 93),
        (2, NULL, NULL, 'Not today', '2099-01-01', 94)`,
      [today, today, today, today],
    );
    await db.end();
    const reload = await stack.cli('reload');
    expect(reload.stdout).toContain('cron: reloaded');
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await peer?.close();
    await dropDatabase(DB);
  });

  it('is started by the supervisor after db and mailer, and stays small when idle', async () => {
    let services: { name: string; pid: number; healthy: boolean }[] = [];
    await waitUntil(
      'sogoms status to answer',
      async () => {
        const status = await stack.cli('status', '--json');
        if (status.code !== 0) return false;
        services = (JSON.parse(status.stdout) as { services: typeof services }).services;
        return true;
      },
      15_000,
    );
    expect(services.map((s) => s.name)).toEqual(['logs', 'db', 'mailer', 'cron', 'gateway']);
    const cron = services.find((s) => s.name === 'cron')!;
    expect(cron.healthy).toBe(true);
    await new Promise((r) => setTimeout(r, 1000));
    const rss = rssMb(cron.pid);
    console.log(`cron idle RSS: ${rss.toFixed(1)} MB`);
    expect(rss).toBeLessThan(80);
  });

  it('lists the demo job with its next 3 fire times at 08:00 Paris on weekdays', async () => {
    const list = await stack.cli('cron', 'list', 'shop', '--json');
    expect(list.code, list.stderr).toBe(0);
    const [job] = JSON.parse(list.stdout);
    expect(job).toMatchObject({
      app: 'shop',
      job: 'tasks_today',
      type: 'query_email',
      timezone: 'Europe/Paris',
    });
    expect(job.next).toHaveLength(3);
    for (const next of job.next) {
      expect(next).toMatch(/T08:00:00\+0[12]:00$/);
      expect([1, 2, 3, 4, 5]).toContain(new Date(next).getUTCDay());
    }
  });

  it('query_email: each user with open tasks due today gets one mail with their rows', async () => {
    const trigger = await stack.cli('cron', 'trigger', 'shop', 'tasks_today', '--json');
    expect(trigger.code, trigger.stdout + trigger.stderr).toBe(0);
    expect(JSON.parse(trigger.stdout)).toMatchObject({
      status: 'ok',
      summary: { rows: 3, groups: 2, mails: 2 },
    });
    await waitUntil('two mails', () => Promise.resolve(peer.received.length >= 2), 15_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(peer.received.map((m) => m.to).sort()).toEqual([['admin@prokov.test'], ['demo@prokov.test']]);
    const demo = peer.received.find((m) => m.to.includes('demo@prokov.test'))!.raw;
    expect(demo).toContain('Subject: Prokov: 2 tasks due today');
    expect(demo).toContain('- Water the plants (Home)');
    expect(demo).toContain('- Call the bank');
    expect(demo).not.toContain('Already done');
    expect(demo).not.toContain('Review the release');
    const admin = peer.received.find((m) => m.to.includes('admin@prokov.test'))!.raw;
    expect(admin).toContain('Subject: Prokov: 1 task due today');
    expect(admin).toContain('- Review the release');
    expect(admin).not.toContain('Not today');

    const status = await stack.cli('cron', 'status', 'shop', 'tasks_today');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/tasks_today .* manual +ok +1\/3/);
  });

  it('counts a run by app, job and status on /metrics, with its duration', async () => {
    const job = { service: 'cron', app: 'shop', job: 'tasks_today' };
    // The previous test's run reached the supervisor by now (reports every 200 ms).
    await waitUntil(
      'the earlier run on /metrics',
      async () => valueOf(await samples(), 'sogoms_cron_runs_total', { ...job, status: 'ok' }) >= 1,
      10_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    const before = await samples();
    const ok = valueOf(before, 'sogoms_cron_runs_total', { ...job, status: 'ok' });
    const timed = valueOf(before, 'sogoms_cron_run_duration_seconds_count', job);
    const trigger = await stack.cli('cron', 'trigger', 'shop', 'tasks_today', '--json');
    expect(JSON.parse(trigger.stdout)).toMatchObject({ status: 'ok' });
    let after: Sample[] = [];
    await waitUntil(
      'the new run on /metrics',
      async () => {
        after = await samples();
        return valueOf(after, 'sogoms_cron_runs_total', { ...job, status: 'ok' }) === ok + 1;
      },
      10_000,
    );
    expect(valueOf(after, 'sogoms_cron_run_duration_seconds_count', job)).toBe(timed + 1);
    expect(valueOf(after, 'sogoms_cron_run_duration_seconds_bucket', { ...job, le: '+Inf' })).toBe(timed + 1);
    expect(valueOf(after, 'sogoms_cron_run_duration_seconds_sum', job)).toBeGreaterThan(
      valueOf(before, 'sogoms_cron_run_duration_seconds_sum', job),
    );
    expect(valueOf(after, 'sogoms_cron_runs_total', { ...job, status: 'failed' })).toBe(0);
    // cron now reports like every service: its memory too.
    expect(valueOf(after, 'sogoms_process_resident_memory_bytes', { service: 'cron' })).toBeGreaterThan(0);
  });

  it('pauses and resumes a job from the CLI', async () => {
    const paused = await stack.cli('cron', 'pause', 'shop', 'tasks_today');
    expect(paused.stdout).toContain('shop/tasks_today: paused');
    expect((await stack.cli('cron', 'list', 'shop')).stdout).toMatch(/tasks_today .* paused/);
    const resumed = await stack.cli('cron', 'resume', 'shop', 'tasks_today');
    expect(resumed.stdout).toContain('shop/tasks_today: resumed; next ');
  });

  it('refuses a bad cron.yaml at reload with file:line:key and keeps the running jobs', async () => {
    const good = readFileSync(cronYaml, 'utf8');
    writeFileSync(cronYaml, good.replace("schedule: '0 8 * * 1-5'", "schedule: '0 25 * * 1-5'"));
    const reload = await stack.cli('reload');
    expect(reload.code).toBe(1);
    expect(reload.stdout).toMatch(
      /cron: reload refused, old configuration kept: .*apps\/shop\/cron\.yaml:\d+: jobs\[0\]\.schedule/s,
    );
    const list = await stack.cli('cron', 'list', 'shop', '--json');
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ job: 'tasks_today', schedule: '0 8 * * 1-5' });
    writeFileSync(cronYaml, good);
    expect((await stack.cli('reload')).code).toBe(0);
  });

  it('names an unknown job with a stable code and exit 1', async () => {
    const missing = await stack.cli('cron', 'trigger', 'shop', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("NOT_FOUND: No job 'nope' in cron.yaml of 'shop'");
  });
});
