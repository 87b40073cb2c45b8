import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { loadConfig, type LoadedConfig } from '@sogoms/config';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import {
  adminConnection,
  dropDatabases,
  listenDbSocket,
  rejectionOf,
  startDbHarness,
  testDatabaseName,
  type DbHarness,
} from '@sogoms/db/testing';
import {
  createClientProxy,
  IpcClient,
  MAILER_PATTERNS,
  type MailBulkQueued,
  type MailMessageStatus,
  type MailQueued,
  type UnixSocketServer,
} from '@sogoms/ipc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailerMicroservice } from './mailer.microservice.js';
import { MailerSettings } from './mailer-settings.js';
import { MailQueueRepository } from './queue/mail-queue.repository.js';
import { QueueDatabase } from './queue/queue-database.js';
import { freePort } from '../../../test/support/free-port.js';
import { startSmtpPeer, type SmtpPeer } from '../../../test/support/smtp-peer.js';

const ENGINES = ['mariadb', 'sqlite'] as const;

/** A plain message, queued straight through the repository by the claim specs. */
const queuedMessage = {
  from: 'l@shop.test',
  replyTo: null,
  to: ['l@example.test'],
  cc: [],
  bcc: [],
  subject: 'L',
  text: 'l',
  html: null,
  headers: {},
  attachments: [],
};
describe.each(ENGINES)('mailer queue and delivery on %s (real db module, real SMTP peer)', (engine) => {
  const database = testDatabaseName('mailer');
  let fx: ConfigFixture;
  let config: LoadedConfig;
  let peer: SmtpPeer;
  let securePeer: SmtpPeer;
  let laterPort: number;
  let latePeer: SmtpPeer | undefined;
  let db: DbHarness;
  let dbSocket: UnixSocketServer;
  let mailer: INestMicroservice;
  let client: IpcClient;

  const call = <T>(pattern: string, data: Record<string, unknown>): Promise<T> =>
    client.call<T>(pattern, data);
  const status = (id: number, app = 'shop'): Promise<MailMessageStatus> =>
    call(MAILER_PATTERNS.status, { app, id });
  const waitForState = async (id: number, state: string, app = 'shop'): Promise<MailMessageStatus> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const current = await status(id, app);
      if (current.state === state) return current;
      if (Date.now() > deadline)
        throw new Error(`message ${id} is ${current.state}, not ${state}: ${current.last_error}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  beforeAll(async () => {
    peer = await startSmtpPeer();
    // STARTTLS with smtp-server's self-signed certificate, AUTH PLAIN/LOGIN only after it.
    securePeer = await startSmtpPeer({
      disabledCommands: [],
      authOptional: false,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth(auth, _session, callback) {
        if (auth.username === 'mailer' && auth.password === 's3cret')
          return callback(null, { user: 'mailer' });
        callback(Object.assign(new Error('5.7.8 Bad credentials'), { responseCode: 535 }));
      },
    });
    fx = createConfigFixture();
    fx.global({ run_dir: '../run', log_dir: '../logs' });
    // MariaDB: the three apps share one database (the queue keeps them apart by app); SQLite: one file each.
    const databaseSection = (app: string): Record<string, string> =>
      engine === 'sqlite'
        ? { driver: 'sqlite', file: `../var/${app}.sqlite` }
        : { name: database, user: 'root', password: '' };
    const smtp = { host: '127.0.0.1', port: peer.port, starttls: 'off', from: 'Shop <shop@shop.test>' };
    fx.app('shop', { database: databaseSection('shop'), smtp });
    // Nothing listens on port 9 of loopback: its mail waits.
    fx.app('down', { database: databaseSection('down'), smtp: { ...smtp, port: 9 } });
    const tls = {
      host: '127.0.0.1',
      port: securePeer.port,
      starttls: 'required',
      from: 'secure@shop.test',
      tls: { reject_unauthorized: false },
    };
    fx.app('secure', {
      database: databaseSection('secure'),
      smtp: { ...tls, auth: { user: 'mailer', pass: 's3cret' } },
    });
    fx.app('badauth', {
      database: databaseSection('badauth'),
      smtp: { ...tls, auth: { user: 'mailer', pass: 'nope' } },
    });
    // No server there until the test starts one.
    laterPort = await freePort();
    fx.app('later', {
      database: databaseSection('later'),
      smtp: { ...smtp, port: laterPort, max_attempts: 100 },
    });
    // Not served by the mailer under test: the claim race below has the queue to itself.
    fx.app('race', { database: databaseSection('race'), smtp: { ...smtp, port: 9 } });
    fx.app('nomail', { database: databaseSection('nomail') });
    fx.write(
      'apps/shop/emails/welcome.yaml',
      'subject: "Welcome, <%= it.name %>"\nhtml: "<p><%= it.name %></p>"\n',
    );
    fx.write('apps/shop/files/terms.txt', 'The terms.');
    fx.write('secret.txt', 'not for mail');
    mkdirSync(join(fx.root, '../var'), { recursive: true });
    if (engine === 'mariadb') {
      const admin = await adminConnection();
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.end();
    }
    config = loadConfig(fx.root);
    db = await startDbHarness(config.apps, config.global);
    dbSocket = await listenDbSocket(config.global, db.service);
    mailer = await startMailerMicroservice(
      {
        config: { ...config, apps: config.apps.filter((app) => app.name !== 'race') },
        timing: { pollMs: 50, backoff: { baseMs: 50, maxMs: 200 } },
      },
      { logger: process.env.DEBUG_MAILER ? undefined : false },
    );
    client = new IpcClient(createClientProxy(config.global, 'mailer'), { timeoutMs: 10_000 });
  });

  afterAll(async () => {
    await client?.close();
    await mailer?.close();
    await dbSocket?.close();
    await db?.close();
    await peer?.close();
    await securePeer?.close();
    await latePeer?.close();
    if (engine === 'mariadb') await dropDatabases([database]);
    fx?.remove();
  });

  it('queues a message, answers its id, and delivers it once', async () => {
    const queued = await call<MailQueued>(MAILER_PATTERNS.send, {
      app: 'shop',
      to: 'Ann <ann@example.test>',
      subject: 'Hello',
      text: 'Hi Ann',
      attachments: [{ filename: 'terms.txt', path: 'files/terms.txt' }],
    });
    expect(queued).toEqual({ id: expect.any(Number), created: true });
    const sent = await waitForState(queued.id, 'sent');
    expect(sent).toMatchObject({
      to: 'Ann <ann@example.test>',
      subject: 'Hello',
      attempts: 1,
      last_error: null,
    });
    expect(sent.provider_message_id).toMatch(/@/);
    const mail = peer.received.filter((m) => m.to.includes('ann@example.test'));
    expect(mail).toHaveLength(1);
    expect(mail[0].from).toBe('shop@shop.test');
    expect(mail[0].raw).toContain('Subject: Hello');
    expect(mail[0].raw).toContain('filename=terms.txt');
  });

  it('queues one message for the same idempotency key twice', async () => {
    const request = {
      app: 'shop',
      to: 'idem@example.test',
      subject: 'Once',
      text: 'x',
      idempotency_key: 'order-1',
    };
    const first = await call<MailQueued>(MAILER_PATTERNS.send, request);
    const second = await call<MailQueued>(MAILER_PATTERNS.send, request);
    expect(second).toEqual({ id: first.id, created: false });
    await waitForState(first.id, 'sent');
    expect(peer.received.filter((m) => m.to.includes('idem@example.test'))).toHaveLength(1);
  });

  it('renders a template, escaped, and sends it', async () => {
    const queued = await call<MailQueued>(MAILER_PATTERNS.sendTemplate, {
      app: 'shop',
      template: 'welcome',
      to: 'tpl@example.test',
      vars: { name: '<Bob>' },
    });
    expect(await waitForState(queued.id, 'sent')).toMatchObject({ subject: 'Welcome, <Bob>' });
    expect(peer.received.find((m) => m.to.includes('tpl@example.test'))?.raw).toContain('&lt;Bob&gt;');
  });

  it('retries 451 with backoff until 250, and sends 550 to dead at once', async () => {
    const flaky = await call<MailQueued>(MAILER_PATTERNS.send, {
      app: 'shop',
      to: 'flaky@example.test',
      subject: 'F',
      text: 'f',
    });
    const rejected = await call<MailQueued>(MAILER_PATTERNS.send, {
      app: 'shop',
      to: 'reject@example.test',
      subject: 'R',
      text: 'r',
    });
    expect(await waitForState(flaky.id, 'sent')).toMatchObject({ attempts: 3 });
    const dead = await waitForState(rejected.id, 'dead');
    expect(dead.attempts).toBe(1);
    expect(dead.last_error).toContain('550');
    expect(peer.attempts.get('reject@example.test')).toBe(1);
  });

  it('keeps mail for a server that is down, and cancels or retries on request', async () => {
    const queued = await call<MailQueued>(MAILER_PATTERNS.send, {
      app: 'down',
      to: 'wait@example.test',
      subject: 'W',
      text: 'w',
    });
    const failed = await waitForState(queued.id, 'failed', 'down');
    expect(failed.last_error).toMatch(/ECONNECTION|ECONNREFUSED/);
    expect(
      (await call<MailMessageStatus>(MAILER_PATTERNS.cancel, { app: 'down', id: queued.id })).state,
    ).toBe('dead');
    expect(await rejectionOf(call(MAILER_PATTERNS.cancel, { app: 'down', id: queued.id }))).toMatchObject({
      code: 'CONFLICT',
    });
    expect((await call<MailMessageStatus>(MAILER_PATTERNS.retry, { app: 'down', id: queued.id })).state).toBe(
      'queued',
    );
    const list = await call<MailMessageStatus[]>(MAILER_PATTERNS.list, { app: 'down' });
    expect(list.map((m) => m.id)).toEqual([queued.id]);
    expect(await rejectionOf(status(999_999, 'down'))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps mail while the SMTP server is down and sends it once the server is back', async () => {
    const queued = await call<MailQueued>(MAILER_PATTERNS.send, {
      app: 'later',
      to: 'back@example.test',
      subject: 'B',
      text: 'b',
    });
    await waitForState(queued.id, 'failed', 'later');
    // Closed after the mailer: its pooled connection keeps the server open.
    latePeer = await startSmtpPeer({}, laterPort);
    expect((await waitForState(queued.id, 'sent', 'later')).attempts).toBeGreaterThan(1);
    expect(latePeer.received.map((m) => m.to)).toEqual([['back@example.test']]);
  });

  it('refuses bad input with a clear code and queues nothing', async () => {
    const before = (await call<MailMessageStatus[]>(MAILER_PATTERNS.list, { app: 'shop', limit: 500 }))
      .length;
    const base = { app: 'shop', to: 'ok@example.test', subject: 'S', text: 't' };
    const cases: [Record<string, unknown>, string, string | undefined][] = [
      [{ ...base, app: 'ghost' }, 'NOT_FOUND', undefined],
      [{ ...base, app: 'nomail' }, 'BAD_REQUEST', undefined],
      [{ ...base, to: 'not an address' }, 'VALIDATION_FAILED', 'to'],
      [
        { ...base, attachments: [{ filename: 'x', path: '../../secret.txt' }] },
        'VALIDATION_FAILED',
        'attachments[0].path',
      ],
      [{ ...base, headers: { 'X-A': 'a\r\nBcc: evil@example.test' } }, 'VALIDATION_FAILED', 'headers.X-A'],
    ];
    for (const [request, code, field] of cases) {
      const error = await rejectionOf(call(MAILER_PATTERNS.send, request));
      expect(error, JSON.stringify(request)).toMatchObject({
        code,
        ...(field ? { details: { field } } : {}),
      });
    }
    expect(
      await rejectionOf(
        call(MAILER_PATTERNS.sendTemplate, { app: 'shop', template: 'welcome', to: 'a@example.test' }),
      ),
    ).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'vars.name' } });
    expect(
      await rejectionOf(
        call(MAILER_PATTERNS.sendTemplate, { app: 'shop', template: 'nope', to: 'a@example.test' }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect((await call<MailMessageStatus[]>(MAILER_PATTERNS.list, { app: 'shop', limit: 500 })).length).toBe(
      before,
    );
  });

  it('queues a bulk of 300 at once and delivers every one', async () => {
    const recipients = Array.from({ length: 300 }, (_, i) => ({
      to: `bulk${i}@example.test`,
      vars: { name: `n${i}` },
    }));
    const queued = await call<MailBulkQueued>(MAILER_PATTERNS.sendBulk, {
      app: 'shop',
      template: 'welcome',
      recipients,
    });
    expect(queued.ids).toHaveLength(300);
    expect(queued.created).toBe(300);
    const deadline = Date.now() + 20_000;
    while (peer.received.filter((m) => m.to[0].startsWith('bulk')).length < 300 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const bulk = peer.received.filter((m) => m.to[0].startsWith('bulk')).map((m) => m.to[0]);
    expect(new Set(bulk).size).toBe(300);
    expect(bulk).toHaveLength(300);
    expect(await waitForState(queued.ids[299], 'sent')).toMatchObject({ subject: 'Welcome, n299' });
  });

  it('upgrades with STARTTLS and logs in; refused credentials (535) are permanent', async () => {
    const ok = await call<MailQueued>(MAILER_PATTERNS.send, {
      app: 'secure',
      to: 'tls@example.test',
      subject: 'T',
      text: 't',
    });
    const refused = await call<MailQueued>(MAILER_PATTERNS.send, {
      app: 'badauth',
      to: 'x@example.test',
      subject: 'B',
      text: 'b',
    });
    await waitForState(ok.id, 'sent', 'secure');
    expect(securePeer.received.find((m) => m.to.includes('tls@example.test'))).toMatchObject({
      secure: true,
      user: 'mailer',
    });
    expect((await waitForState(refused.id, 'dead', 'badauth')).last_error).toContain('535');
  });

  it('keeps a renewed lease, and gives a lapsed one to the next claimer', async () => {
    const settings = new MailerSettings();
    settings.replace(config);
    const race = settings.mailApp('race');
    const dbClient = new IpcClient(createClientProxy(config.global, 'db'), { timeoutMs: 10_000 });
    const [a, b] = [0, 1].map(() => new MailQueueRepository(new QueueDatabase(dbClient), settings));
    // One claim of everything due (this message and whatever other specs left): one lease.
    const now = Date.now() + 10 * 60_000;
    await a.enqueue(race, [{ message: queuedMessage, idempotencyKey: null }], now);
    const claimed = await a.claim(race, 10_000, 1_000, now);
    const held = claimed[claimed.length - 1];
    expect(await a.renew(race, held.leaseToken, 1_000, now + 900)).toBe(claimed.length);
    expect(await b.claim(race, 10_000, 1_000, now + 1_500)).toEqual([]);
    const taken = await b.claim(race, 10_000, 1_000, now + 2_000);
    expect(taken.map((m) => m.id)).toContain(held.id);
    // The first claim's lease is gone: it renews nothing any more.
    expect(await a.renew(race, held.leaseToken, 1_000, now + 2_100)).toBe(0);
    await dbClient.close();
  });

  it('never lets two claimers hold the same message', async () => {
    const settings = new MailerSettings();
    settings.replace(config);
    const race = settings.mailApp('race');
    const dbClient = new IpcClient(createClientProxy(config.global, 'db'), { timeoutMs: 10_000 });
    // Two repositories: what two mailer processes would have.
    const [a, b] = [0, 1].map(() => new MailQueueRepository(new QueueDatabase(dbClient), settings));
    await a.enqueue(
      race,
      Array.from({ length: 200 }, () => ({ message: queuedMessage, idempotencyKey: null })),
      Date.now(),
    );
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).claim(race, 30, 60_000, Date.now())),
    );
    const ids = claims.flat().map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(200);
    await dbClient.close();
  });

  it('answers health while the db service answers', async () => {
    expect(await call(MAILER_PATTERNS.health, {})).toEqual({ ok: true });
  });
});
