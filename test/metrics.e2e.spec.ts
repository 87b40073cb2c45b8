import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';
import { parsePrometheusText, samplesOf, scrape, valueOf, type Sample } from './support/prometheus-text.js';
import { createDemoDatabase, scanSchemaYaml } from './support/schema-scan.js';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.js';
import { dropDatabase, startStack, waitUntil, type TestStack } from './support/stack.js';

const DB = `sogoms_test_metrics_${randomBytes(3).toString('hex')}`;
const SECRET = 'metrics-e2e-secret-0123456789abcdef0123456789';
const DEMO = { email: 'demo@prokov.test', password: 'prokov-demo' };

describe('GET /metrics: the supervisor serves every service’s numbers after real requests', () => {
  let stack: TestStack;
  let peer: SmtpPeer;
  let metricsPort: number;
  let token: string;
  const api = (method: string, path: string, body?: unknown) =>
    stack.call({
      host: 'metrics.test',
      method,
      path: `/api${path}`,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      body,
    });
  const samples = async (): Promise<Sample[]> => parsePrometheusText((await scrape(metricsPort)).text);

  beforeAll(async () => {
    peer = await startSmtpPeer();
    await createDemoDatabase(DB);
    metricsPort = await freePort();
    stack = await startStack(
      [
        {
          name: 'metrics',
          hosts: ['metrics.test'],
          database: DB,
          secret: SECRET,
          schemaYaml: await scanSchemaYaml(DB),
          appYaml: {
            smtp: { host: '127.0.0.1', port: peer.port, starttls: 'off', from: 'app@metrics.test' },
          },
        },
      ],
      { metricsPort },
    );
    token = (await api('POST', '/auth/login', DEMO)).json.data.token;
    for (const id of [1, 2, 3]) expect((await api('GET', `/tasks/${id}`)).status).toBe(200);
    expect((await api('GET', '/tasks/987654')).status).toBe(404);
    expect((await api('GET', '/tasks?limit=5')).status).toBe(200);
    expect(
      (await stack.cli('mail', 'send', 'metrics', '--to', 'a@b.test', '--subject', 's', '--text', 't')).code,
    ).toBe(0);
    await waitUntil(
      'the peer to receive the mail',
      () => Promise.resolve(peer.received.length === 1),
      10_000,
    );
  });

  afterAll(async () => {
    await stack?.stop();
    await peer?.close();
    await dropDatabase(DB);
  });

  it('counts requests per app, route pattern and status class, never per raw URL', async () => {
    let s: Sample[] = [];
    await waitUntil(
      'the gateway to report its requests',
      async () => {
        s = await samples();
        return valueOf(s, 'sogoms_http_requests_total', { route: '/:table/:id', status_class: '4xx' }) === 1;
      },
      10_000,
    );
    const byId = { service: 'gateway', app: 'metrics', method: 'GET', route: '/:table/:id' };
    expect(valueOf(s, 'sogoms_http_requests_total', { ...byId, status_class: '2xx' })).toBe(3);
    expect(valueOf(s, 'sogoms_http_requests_total', { ...byId, status_class: '4xx' })).toBe(1);
    expect(
      valueOf(s, 'sogoms_http_requests_total', {
        app: 'metrics',
        method: 'POST',
        route: '/auth/login',
        status_class: '2xx',
      }),
    ).toBe(1);
    expect(valueOf(s, 'sogoms_http_request_duration_seconds_count', byId)).toBe(4);
    expect(valueOf(s, 'sogoms_http_request_duration_seconds_bucket', { ...byId, le: '+Inf' })).toBe(4);
    expect(valueOf(s, 'sogoms_http_request_duration_seconds_sum', byId)).toBeGreaterThan(0);
    // Bounded labels: no id and no query string ever becomes a label value.
    const routes = new Set(samplesOf(s, 'sogoms_http_requests_total').map((sample) => sample.labels.route));
    expect([...routes].filter((route) => /\d|\?/.test(route))).toEqual([]);
  });

  it('counts IPC calls and errors per target service and pattern', async () => {
    const s = await samples();
    expect(
      valueOf(s, 'sogoms_ipc_calls_total', { service: 'gateway', target: 'db', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(5);
    const patterns = new Set(
      samplesOf(s, 'sogoms_ipc_calls_total', { service: 'gateway' }).map((x) => x.labels.pattern),
    );
    expect([...patterns].every((pattern) => /^[a-z]+\.[a-z_]+$/.test(pattern))).toBe(true);
    // The mailer's queue work goes through the db service too.
    expect(valueOf(s, 'sogoms_ipc_calls_total', { service: 'mailer', target: 'db' })).toBeGreaterThan(0);
    expect(
      samplesOf(s, 'sogoms_ipc_call_duration_seconds_count', { service: 'gateway', target: 'db' }).length,
    ).toBeGreaterThan(0);
  });

  it('shows the db pool and its statements per app', async () => {
    const s = await samples();
    expect(
      valueOf(s, 'sogoms_db_statements_total', { service: 'db', app: 'metrics' }),
    ).toBeGreaterThanOrEqual(5);
    expect(samplesOf(s, 'sogoms_db_slow_statements_total', { service: 'db', app: 'metrics' })).toHaveLength(
      1,
    );
    expect(valueOf(s, 'sogoms_db_pool_connections', { app: 'metrics', state: 'limit' })).toBe(4);
    const open = valueOf(s, 'sogoms_db_pool_connections', { app: 'metrics', state: 'open' });
    expect(open).toBeGreaterThanOrEqual(1);
    expect(valueOf(s, 'sogoms_db_pool_connections', { app: 'metrics', state: 'in_use' })).toBeLessThanOrEqual(
      open,
    );
    expect(samplesOf(s, 'sogoms_db_pool_waiting', { app: 'metrics' })).toHaveLength(1);
  });

  it("shows the connection budget of the apps' MariaDB server", async () => {
    const s = await samples();
    const [budget] = samplesOf(s, 'sogoms_db_budget_connections', { service: 'db', state: 'budget' });
    expect(budget.labels.server).toMatch(/^[\w.-]+:\d+$/);
    expect(budget.value).toBeGreaterThan(0);
    const server = { service: 'db', server: budget.labels.server };
    const held = valueOf(s, 'sogoms_db_budget_connections', { ...server, state: 'held' });
    expect(held).toBeGreaterThanOrEqual(1);
    expect(held).toBeLessThanOrEqual(budget.value);
    expect(
      valueOf(s, 'sogoms_db_budget_connections', { ...server, state: 'in_use' }) +
        valueOf(s, 'sogoms_db_budget_connections', { ...server, state: 'idle' }),
    ).toBeLessThanOrEqual(held);
    for (const name of [
      'sogoms_db_budget_waiting',
      'sogoms_db_budget_wait_timeouts_total',
      'sogoms_db_budget_queue_full_total',
      'sogoms_db_budget_refused_1040_total',
    ]) {
      expect(samplesOf(s, name, server), name).toHaveLength(1);
      expect(valueOf(s, name, server), name).toBe(0);
    }
  });

  it('shows the mail queue by state', async () => {
    let s: Sample[] = [];
    await waitUntil(
      'the mailer to report the sent message',
      async () => {
        s = await samples();
        return valueOf(s, 'sogoms_mail_queue_messages', { app: 'metrics', state: 'sent' }) === 1;
      },
      10_000,
    );
    expect(valueOf(s, 'sogoms_mail_queue_messages', { app: 'metrics', state: 'queued' })).toBe(0);
    expect(valueOf(s, 'sogoms_mail_queue_messages', { app: 'metrics', state: 'dead' })).toBe(0);
  });

  it('shows memory and event-loop delay of every service and the supervisor, and whether each is up', async () => {
    const s = await samples();
    for (const service of ['sogoctl', 'logs', 'db', 'mailer', 'gateway']) {
      const rss = valueOf(s, 'sogoms_process_resident_memory_bytes', { service });
      expect(rss, service).toBeGreaterThan(10 * 1024 * 1024);
      expect(rss, service).toBeLessThan(400 * 1024 * 1024);
      expect(samplesOf(s, 'sogoms_process_heap_used_bytes', { service }), service).toHaveLength(1);
    }
    const delays = samplesOf(s, 'sogoms_event_loop_delay_seconds', { service: 'gateway' });
    expect(delays.map((d) => d.labels.quantile).sort()).toEqual(['0.5', '0.99', '1']);
    expect(delays.every((d) => d.value > 0 && d.value < 5)).toBe(true);
    for (const name of ['logs', 'db', 'mailer', 'gateway']) {
      expect(valueOf(s, 'sogoms_service_up', { name }), name).toBe(1);
      expect(samplesOf(s, 'sogoms_service_restarts', { name }), name).toHaveLength(1);
    }
  });

  it('answers only GET /metrics on its own listener, never on the public port', async () => {
    const answer = await scrape(metricsPort);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toContain('text/plain');
    expect((await scrape(metricsPort, '/')).status).toBe(404);
    expect((await stack.call({ host: 'metrics.test', path: '/metrics' })).status).toBe(404);
    expect((await api('GET', '/metrics')).text).not.toContain('sogoms_http_requests_total');
  });

  it('drops the numbers of a restarted service and counts again from its new process', async () => {
    const before = valueOf(await samples(), 'sogoms_http_requests_total', { service: 'gateway' });
    expect(before).toBeGreaterThan(0);
    expect((await stack.cli('restart', 'gateway')).code).toBe(0);
    await api('GET', '/tasks/1');
    let s: Sample[] = [];
    await waitUntil(
      'the new gateway to report',
      async () => {
        s = await samples();
        return valueOf(s, 'sogoms_http_requests_total', { service: 'gateway', route: '/:table/:id' }) === 1;
      },
      15_000,
    );
    expect(valueOf(s, 'sogoms_service_restarts', { name: 'gateway' })).toBe(1);
  });
});
