import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { JwtService } from '@nestjs/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaDef } from '@sogoms/schema';
import { freePorts } from './support/free-port.js';
import { connectMqtt, type MqttListener } from './support/mqtt-listener.js';
import { parsePrometheusText, scrape, valueOf, type Sample } from './support/prometheus-text.js';
import { createDemoDatabase, scanSchemaYaml } from './support/schema-scan.js';
import { dropDatabase, startStack, waitUntil, type TestStack } from './support/stack.js';

const DB = `sogoms_test_push_${randomBytes(3).toString('hex')}`;
const SECRET = 'push-e2e-secret-0123456789abcdef0123456789';
const DEMO = { email: 'demo@prokov.test', password: 'prokov-demo' };
const jwt = new JwtService();

interface ServiceStatus {
  name: string;
  pid: number | null;
  healthy: boolean;
}

const edit = (schema: SchemaDef): SchemaDef => ({
  ...schema,
  tables: schema.tables.map((t) => (t.name === 'tasks' ? { ...t, ownerBypass: ['admin'] } : t)),
});

const rssMb = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024;
};

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('push: MQTT events of CRUD writes, per user, with catch-up', () => {
  let stack: TestStack;
  let mqttUrl: string;
  let metricsPort: number;
  const samples = async (): Promise<Sample[]> => parsePrometheusText((await scrape(metricsPort)).text);
  let tokenA: string;
  let idA: string;
  let tokenB: string;
  let idB: string;
  const open: MqttListener[] = [];

  const call = (method: string, path: string, token?: string, body?: unknown) =>
    stack.call({
      host: 'shop.test',
      method,
      path: `/api${path}`,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      body,
    });

  const listen = async (token: string, options = {}): Promise<MqttListener> => {
    const listener = await connectMqtt(mqttUrl, token, options);
    open.push(listener);
    return listener;
  };

  const sign = (claims: Record<string, unknown>, secret = SECRET, audience = 'shop'): string =>
    jwt.sign(claims, { secret, algorithm: 'HS256', audience, issuer: 'sogoms' });

  beforeAll(async () => {
    await createDemoDatabase(DB);
    const schemaYaml = await scanSchemaYaml(DB, edit);
    const [port, wsPort, metrics] = await freePorts(3);
    metricsPort = metrics;
    mqttUrl = `mqtt://127.0.0.1:${port}`;
    stack = await startStack(
      [
        {
          name: 'shop',
          hosts: ['shop.test'],
          database: DB,
          secret: SECRET,
          schemaYaml,
          appYaml: { push: { tables: { tasks: { channel: 'tasks' } } } },
        },
      ],
      { push: { host: '127.0.0.1', port, ws_port: wsPort }, metricsPort },
    );
    const a = await call('POST', '/auth/login', undefined, DEMO);
    tokenA = a.json.data.token;
    idA = String(a.json.data.user.id);
    const b = await call('POST', '/auth/register', undefined, {
      email: 'b@push.test',
      password: 'b-password-1',
    });
    tokenB = b.json.data.token;
    idB = String(b.json.data.user.id);
    await waitUntil(
      'the broker to accept a client',
      async () => {
        await (await connectMqtt(mqttUrl, tokenA)).end();
        return true;
      },
      20_000,
    );
  }, 90_000);

  afterAll(async () => {
    await Promise.allSettled(open.map((l) => l.end()));
    await stack?.stop();
    await dropDatabase(DB);
  });

  it('is started by the supervisor after db, before the gateway, and stays small when idle', async () => {
    const status = await stack.cli('status', '--json');
    const services = (JSON.parse(status.stdout) as { services: ServiceStatus[] }).services;
    expect(services.map((s) => s.name)).toEqual(['logs', 'db', 'mailer', 'push', 'cron', 'gateway']);
    const push = services.find((s) => s.name === 'push')!;
    expect(push.healthy).toBe(true);
    const rss = rssMb(push.pid!);
    console.log(`push idle RSS: ${rss.toFixed(1)} MB`);
    expect(rss).toBeLessThan(80);
  });

  it('A receives its own create, update and delete; B receives none of them', async () => {
    const a = await listen(tokenA);
    const b = await listen(tokenB);
    expect(await a.subscribe([`shop/user/${idA}/#`, 'shop/broadcast/#'])).toEqual([1, 1]);
    expect(await b.subscribe([`shop/user/${idB}/#`, 'shop/broadcast/#'])).toEqual([1, 1]);

    const created = await call('POST', '/tasks', tokenA, { title: 'pushed' });
    expect(created.status).toBe(201);
    const id = String(created.json.data.id);
    expect((await call('PATCH', `/tasks/${id}`, tokenA, { title: 'pushed again' })).status).toBe(200);
    expect((await call('DELETE', `/tasks/${id}`, tokenA)).status).toBe(200);

    const topic = `shop/user/${idA}/tasks`;
    const c = await a.waitFor((m) => m.json.op === 'create' && m.json.id === id);
    const u = await a.waitFor((m) => m.json.op === 'update' && m.json.id === id);
    const d = await a.waitFor((m) => m.json.op === 'delete' && m.json.id === id);
    expect([c.topic, u.topic, d.topic]).toEqual([topic, topic, topic]);
    expect(Object.keys(c.json).sort()).toEqual(['at', 'id', 'op', 'row', 'seq', 'table']);
    expect(c.json).toMatchObject({ table: 'tasks', row: created.json.data });
    expect(u.json.row.title).toBe('pushed again');
    expect(d.json.row).toEqual({ id: Number(id) });
    expect(c.json.seq).toBeLessThan(u.json.seq);
    expect(u.json.seq).toBeLessThan(d.json.seq);

    // B's own write is the barrier: once its event arrived, A's (published earlier) would have too.
    const own = await call('POST', '/tasks', tokenB, { title: 'b task' });
    await b.waitFor((m) => m.json.op === 'create' && m.json.id === String(own.json.data.id));
    expect(b.received.map((m) => m.topic)).toEqual([`shop/user/${idB}/tasks`]);
  });

  it("refuses B a subscription to A's topic with SUBACK 128 and keeps the connection", async () => {
    const b = await listen(tokenB);
    const refused = await b.subscribe([`shop/user/${idA}/#`, 'shop/user/+/tasks', 'shop/#', '#']);
    expect(refused).toEqual([128, 128, 128, 128]);
    expect(b.client.connected).toBe(true);
    expect(await b.subscribe(`shop/user/${idB}/tasks`)).toEqual([1]);
  });

  it('refuses forged, expired, other-app and alg none tokens at CONNECT', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = sign({ sub: idA, role: 'default' }, 'another-secret-0123456789abcdef0123456789');
    const expired = sign({ sub: idA, role: 'default', exp: now - 10 });
    const otherApp = sign({ sub: idA, role: 'default' }, SECRET, 'elsewhere');
    const none = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: idA, role: 'default', aud: 'shop', iss: 'sogoms', exp: now + 600 })}.`;
    const tampered = `${tokenA.split('.')[0]}.${base64url({ sub: idB, role: 'admin', aud: 'shop', iss: 'sogoms', exp: now + 600 })}.${tokenA.split('.')[2]}`;
    for (const token of [forged, expired, otherApp, none, tampered, 'not-a-token', '']) {
      await expect(connectMqtt(mqttUrl, token), token).rejects.toThrow(
        /Bad username or password|Connection refused/i,
      );
    }
  });

  it('closes a connection when its token expires', async () => {
    const shortLived = sign({ sub: idA, role: 'default', exp: Math.floor(Date.now() / 1000) + 2 });
    const client = await listen(shortLived);
    expect(client.client.connected).toBe(true);
    await client.closed(5000);
  });

  it("disconnects a client that publishes, and keeps a persistent session's client id to its user", async () => {
    const a = await listen(tokenA);
    a.client.publish(`shop/user/${idA}/tasks`, '{"op":"forged"}', { qos: 1 });
    await a.closed(3000);

    const clientId = `owned-${randomBytes(4).toString('hex')}`;
    await (await listen(tokenA, { clientId, clean: false })).end();
    await expect(connectMqtt(mqttUrl, tokenB, { clientId, clean: false })).rejects.toThrow(
      /Identifier rejected/i,
    );
    await expect(connectMqtt(mqttUrl, tokenB, { clientId })).rejects.toThrow(/Identifier rejected/i);
    // A clean session binds nothing.
    const loose = `loose-${randomBytes(4).toString('hex')}`;
    await (await listen(tokenA, { clientId: loose })).end();
    await (await listen(tokenB, { clientId: loose })).end();
  });

  it('a persistent session gets the QoS 1 events published while it was away', async () => {
    const clientId = `phone-${randomBytes(4).toString('hex')}`;
    const first = await listen(tokenA, { clientId, clean: false });
    await first.subscribe(`shop/user/${idA}/tasks`);
    await first.end();

    const created = await call('POST', '/tasks', tokenA, { title: 'while away' });
    const id = String(created.json.data.id);
    // The event reached the broker when the outbox has it (it is recorded before it is published).
    await waitUntil(
      'the event to be recorded',
      async () => {
        const page = await call('GET', '/_events?since=0&limit=1000', tokenA);
        const events = page.json.data.events as { message: { id: string } }[];
        return events.some((e) => e.message.id === id);
      },
      5000,
    );

    const back = await listen(tokenA, { clientId, clean: false });
    const missed = await back.waitFor((m) => m.json.op === 'create' && m.json.id === id);
    expect(missed.topic).toBe(`shop/user/${idA}/tasks`);
  });

  it('_events?since= returns exactly what was missed, and nothing of another user', async () => {
    const before = await call('GET', '/_events?limit=1000', tokenA);
    expect(before.status).toBe(200);
    const since = Math.max(0, ...before.json.data.events.map((e: { seq: number }) => e.seq));
    const one = await call('POST', '/tasks', tokenA, { title: 'missed 1' });
    await call('POST', '/tasks', tokenB, { title: 'not for A' });
    const two = await call('POST', '/tasks', tokenA, { title: 'missed 2' });
    const wanted = [String(one.json.data.id), String(two.json.data.id)];

    let page: any;
    await waitUntil(
      'both events to be recorded',
      async () => {
        page = (await call('GET', `/_events?since=${since}`, tokenA)).json.data;
        return page.events.length >= 2;
      },
      5000,
    );
    const events = page.events as {
      channel: string;
      audience: string;
      message: { op: string; id: string };
    }[];
    expect(events.map((e) => [e.channel, e.audience, e.message.op, e.message.id])).toEqual([
      ['tasks', 'user', 'create', wanted[0]],
      ['tasks', 'user', 'create', wanted[1]],
    ]);
    expect(page.more).toBe(false);
    expect(page.truncated).toBe(false);

    const ofB = (await call('GET', '/_events?since=0&limit=1000', tokenB)).json.data.events;
    expect(ofB.length).toBeGreaterThan(0);
    for (const event of ofB) expect(event.message.row.user_id).toBe(Number(idB));
  });

  it('_events refuses bad parameters and a missing token with the envelope', async () => {
    const bad = await call('GET', '/_events?since=-1', tokenA);
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ success: false, error: { code: 'VALIDATION_FAILED' } });
    expect((await call('GET', '/_events?limit=5000', tokenA)).status).toBe(400);
    expect((await call('GET', '/_events')).json.error.code).toBe('UNAUTHORIZED');
  });

  it('sogoms push notify and broadcast reach the topics and the outbox', async () => {
    const a = await listen(tokenA);
    await a.subscribe([`shop/user/${idA}/#`, 'shop/broadcast/#']);
    const notify = await stack.cli('push', 'notify', 'shop', idA, 'notices', '{"text":"hi"}');
    expect(notify.stdout).toMatch(new RegExp(`published to shop/user/${idA}/notices \\(seq \\d+\\)`));
    const note = await a.waitFor((m) => m.topic === `shop/user/${idA}/notices`);
    expect(note.json).toMatchObject({ channel: 'notices', payload: { text: 'hi' } });
    const cast = await stack.cli('push', 'broadcast', 'shop', 'news', 'plain text');
    expect(cast.code).toBe(0);
    expect((await a.waitFor((m) => m.topic === 'shop/broadcast/news')).json.payload).toBe('plain text');
    const bad = await stack.cli('push', 'publish', 'shop/#', '1');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('VALIDATION_FAILED');
  });

  it('counts connected clients per app and published events on /metrics', async () => {
    const shop = { service: 'push', app: 'shop' };
    const clients = async (): Promise<number> =>
      valueOf(await samples(), 'sogoms_push_connected_clients', shop);
    // Earlier tests' clients come and go: wait until two reports agree.
    let settled = -1;
    await waitUntil(
      'a steady client count',
      async () => {
        const now = await clients();
        await new Promise((r) => setTimeout(r, 450));
        settled = now;
        return now === (await clients());
      },
      10_000,
    );
    const client = await connectMqtt(mqttUrl, tokenB);
    await waitUntil('the new client on /metrics', async () => (await clients()) === settled + 1, 10_000);
    await client.end();
    await waitUntil('the client gone from /metrics', async () => (await clients()) === settled, 10_000);

    const published = async (kind: string): Promise<number> =>
      valueOf(await samples(), 'sogoms_push_events_published_total', { ...shop, kind, outcome: 'ok' });
    const users = await published('user');
    const crud = await published('crud');
    expect((await stack.cli('push', 'notify', 'shop', idB, 'notices', '{"text":"count me"}')).code).toBe(0);
    await waitUntil('the notice counted', async () => (await published('user')) === users + 1, 10_000);
    expect((await call('POST', '/tasks', tokenB, { title: 'Counted' })).status).toBe(201);
    await waitUntil('the CRUD event counted', async () => (await published('crud')) === crud + 1, 10_000);
    const s = await samples();
    expect(valueOf(s, 'sogoms_push_events_published_total', { ...shop, outcome: 'error' })).toBe(0);
  });

  it('writes stay 2xx while push is killed, and events flow again after its restart', async () => {
    const pushStatus = async (): Promise<ServiceStatus | undefined> => {
      const status = await stack.cli('status', '--json');
      return (JSON.parse(status.stdout) as { services: ServiceStatus[] }).services.find(
        (s) => s.name === 'push',
      );
    };
    const before = await pushStatus();
    expect(before?.pid).toBeGreaterThan(0);
    process.kill(before!.pid!, 'SIGKILL');
    for (let i = 0; i < 5; i++)
      expect((await call('POST', '/tasks', tokenA, { title: `while push is down ${i}` })).status).toBe(201);

    await waitUntil(
      'push to be back',
      async () => {
        const now = await pushStatus();
        return now?.healthy === true && now.pid !== before!.pid;
      },
      30_000,
    );
    let listener: MqttListener | undefined;
    await waitUntil(
      'the broker to accept clients again',
      async () => {
        listener = await listen(tokenA);
        return true;
      },
      15_000,
    );
    await listener!.subscribe(`shop/user/${idA}/#`);
    // The gateway reconnects on the first event after the restart: keep writing until one arrives.
    await waitUntil(
      'a new event',
      async () => {
        await call('POST', '/tasks', tokenA, { title: 'after restart' });
        return listener!.received.some((m) => m.json.row?.title === 'after restart');
      },
      15_000,
    );
  });
});
