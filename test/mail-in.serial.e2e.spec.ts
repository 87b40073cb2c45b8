import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import {
  IpcClient,
  MAILER_INBOX_PATTERNS,
  UnixSocketClient,
  socketPath,
  type InboxMessage,
  type InboxMessageSummary,
} from '@sogoms/ipc';
import { ImapFlow } from 'imapflow';
import { createConnection } from 'mysql2/promise';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainDemoSchemaYaml } from './support/demo-schema.js';
import { freePort } from './support/free-port.js';
import { dovecotAvailable, startImapServer, type ImapServer } from './support/imap-server.js';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.js';
import { dropDatabase, startStack, waitUntil, type TestStack } from './support/stack.js';
import { PROJECT_ROOT, writeTestConfig } from './support/test-config.factory.js';

const DB = `sogoms_test_mailin_${randomBytes(3).toString('hex')}`;
const SECRET = 'mail-in-e2e-secret-0123456789abcdef0123456789';
const WEBHOOK_SECRET = 'webhook-secret-0123456789abcdef';
const DEMO = join(PROJECT_ROOT, 'config/apps/prokov');
const PROKOV_DB = `sogoms_test_mailin_prokov_${randomBytes(3).toString('hex')}`;
const PROKOV_SECRET = 'mail-in-e2e-prokov-0123456789abcdef0123456789';

const message = (headers: Record<string, string>, body: string): string =>
  `${Object.entries({ 'MIME-Version': '1.0', Date: new Date().toUTCString(), ...headers })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n${body}`;

const plain = (
  from: string,
  subject: string,
  text: string,
  id = `<${randomBytes(6).toString('hex')}@test>`,
): string =>
  message(
    {
      From: from,
      To: 'tasks@prokov.localhost',
      Subject: subject,
      'Message-ID': id,
      'Content-Type': 'text/plain; charset=utf-8',
    },
    text,
  );

const query = async (
  sql: string,
  params: unknown[] = [],
  database = DB,
): Promise<Record<string, unknown>[]> => {
  const c = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database });
  try {
    const [rows] = await c.query(sql, params);
    return rows as Record<string, unknown>[];
  } finally {
    await c.end();
  }
};

/** The `mail.received` entries of an app's event logs (the logs service's files). */
const receivedEvents = (logDir: string, app: string): { data: Record<string, unknown> }[] =>
  readdirSync(logDir)
    .filter((file) => file.startsWith(`${app}-`) && file.endsWith('-event.log'))
    .flatMap((file) => readFileSync(join(logDir, file), 'utf8').split('\n'))
    .filter((line) => line.includes('"mail.received"'))
    .map((line) => JSON.parse(line) as { data: Record<string, unknown> });

/** The demo's imap: as app.yaml ships it, but on the test's Dovecot (user `prokov`). */
const demoImapPointedAt = (imap: ImapServer): unknown => {
  const shipped = parse(readFileSync(join(DEMO, 'app.yaml'), 'utf8')) as {
    imap: { accounts: Record<string, unknown>[] };
  };
  return {
    accounts: shipped.imap.accounts.map((account) => {
      const { host_env: _h, port_env: _p, pass_env: _e, ...rest } = account;
      return { ...rest, host: imap.host, port: imap.port, user: 'prokov', pass: imap.passwordOf('prokov') };
    }),
  };
};

/** The demo schema with a unique column for the Message-ID (the exactly-once key of created tasks). */
const schemaWithMessageId = (): string => {
  const schema = parse(plainDemoSchemaYaml()) as {
    tables: Record<string, { fields: Record<string, unknown>; indexes: Record<string, unknown> }>;
  };
  schema.tables.tasks.fields.source_message_id = { type: 'string', length: 255, nullable: true };
  schema.tables.tasks.indexes.uq_tasks_source_message_id = { fields: ['source_message_id'], unique: true };
  return stringify(schema);
};

describe.skipIf(!dovecotAvailable())('mail in: a real Dovecot, the real mailer, rules that make rows', () => {
  let imap: ImapServer;
  let stack: TestStack;
  let mailer: IpcClient;
  let hookServer: Server;
  const hooks: { body: string; signature: string | undefined }[] = [];
  let writer: ImapFlow;
  let smtp: SmtpPeer;

  const connectWriter = async (user = 'tasks'): Promise<ImapFlow> => {
    const client = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: false,
      auth: { user, pass: imap.passwordOf(user) },
      logger: false,
    });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };
  const deliver = async (raw: string | Buffer, folder = 'INBOX'): Promise<number> => {
    const appended = await writer.append(folder, raw);
    if (appended === false) throw new Error('APPEND failed');
    return Number(appended.uid);
  };
  const call = <T>(pattern: string, payload: Record<string, unknown>): Promise<T> =>
    mailer.call<T>(pattern, { app: 'desk', account: 'tasks', ...payload });

  beforeAll(async () => {
    imap = await startImapServer(['tasks', 'prokov']);
    writer = await connectWriter();
    smtp = await startSmtpPeer();
    const hookPort = await freePort();
    hookServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hooks.push({ body, signature: req.headers['x-sogoms-signature'] as string | undefined });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hookServer.listen(hookPort, '127.0.0.1', resolve));

    const downPort = await freePort();
    const config = writeTestConfig(await freePort(), [
      {
        name: 'desk',
        hosts: ['desk.localhost'],
        database: DB,
        secret: SECRET,
        initFromDemo: true,
        schemaYaml: schemaWithMessageId(),
        appYaml: {
          // The mailer's own outgoing side: its SMTP peer hands mail on to Dovecot's LDA (a test below).
          smtp: { host: '127.0.0.1', port: smtp.port, starttls: 'off', from: 'Demo User <demo@prokov.test>' },
          imap: {
            accounts: [
              {
                name: 'tasks',
                host: imap.host,
                port: imap.port,
                tls: false,
                user: 'tasks',
                pass: imap.passwordOf('tasks'),
                // No poll can explain a reaction within the tests' waits: only IDLE's EXISTS.
                poll_s: 60,
              },
              // Nothing listens there: the mailer must start, log and keep retrying, not crash.
              { name: 'down', host: '127.0.0.1', port: downPort, tls: false, user: 'x', pass: 'y' },
            ],
          },
        },
      },
      {
        // The demo as it ships (users.email encrypted, its keys, its mailrules.yaml), its account
        // pointed at this Dovecot.
        name: 'prokov',
        hosts: ['prokov.test'],
        database: PROKOV_DB,
        secret: PROKOV_SECRET,
        schemaYaml: readFileSync(join(DEMO, 'schema.yaml'), 'utf8'),
        appYaml: {
          database: {
            ...{ host: '127.0.0.1', port: 3306, user: 'root', password: '', name: PROKOV_DB, pool_size: 4 },
            init: ['sql/schema.sql', 'sql/seed.sql', 'sql/encrypt-users.sql'].map((f) => join(DEMO, f)),
          },
          imap: demoImapPointedAt(imap),
        },
      },
    ]);
    const prokovDir = join(config.configRoot, 'apps/prokov');
    mkdirSync(join(prokovDir, 'secrets'), { recursive: true });
    copyFileSync(join(DEMO, 'secrets/crypt.keys'), join(prokovDir, 'secrets/crypt.keys'));
    copyFileSync(join(DEMO, 'mailrules.yaml'), join(prokovDir, 'mailrules.yaml'));
    const appDir = join(config.configRoot, 'apps/desk');
    const appYaml = parse(readFileSync(join(appDir, 'app.yaml'), 'utf8')) as { database: { init: string[] } };
    writeFileSync(
      join(appDir, 'message-id.sql'),
      'ALTER TABLE tasks ADD COLUMN source_message_id VARCHAR(255) NULL, ADD UNIQUE KEY uq_tasks_source_message_id (source_message_id);\n',
    );
    appYaml.database.init.push(join(appDir, 'message-id.sql'));
    writeFileSync(join(appDir, 'app.yaml'), stringify(appYaml));
    mkdirSync(join(appDir, 'secrets'), { recursive: true, mode: 0o700 });
    writeFileSync(join(appDir, 'secrets/hook.key'), WEBHOOK_SECRET, { mode: 0o600 });
    writeFileSync(
      join(appDir, 'mailrules.yaml'),
      stringify({
        rules: [
          {
            name: 'invoices',
            match: { subject: { regex: '^invoice (?<number>\\d+)' } },
            actions: [
              {
                do: 'webhook',
                url: `http://127.0.0.1:${hookPort}/in`,
                secret_file: 'apps/desk/secrets/hook.key',
                allow_private: true,
              },
              { do: 'mark_read' },
            ],
          },
          {
            name: 'task-by-mail',
            match: { to: 'tasks@prokov.localhost' },
            actions: [
              {
                do: 'create_row',
                table: 'tasks',
                owner: 'sender',
                message_id_field: 'source_message_id',
                fields: {
                  title: 'subject',
                  description: 'text',
                  project_id: {
                    sql: 'SELECT id FROM projects WHERE user_id = :owner ORDER BY position, id LIMIT 1',
                  },
                },
              },
              { do: 'move', folder: 'Done' },
            ],
          },
        ],
      }),
    );
    stack = await startStack(config);
    mailer = new IpcClient(new UnixSocketClient({ path: socketPath(stack.config.runDir, 'mailer') }), {
      timeoutMs: 40_000,
    });
  }, 90_000);

  afterAll(async () => {
    await mailer?.close();
    await writer?.logout().catch(() => undefined);
    await stack?.stop();
    imap?.close();
    hookServer?.close();
    await smtp?.close();
    await dropDatabase(DB);
    await dropDatabase(PROKOV_DB);
  });

  it("a mail from a user's address becomes a task in that user's first project, and moves to Done", async () => {
    const id = `<${randomBytes(6).toString('hex')}@test>`;
    const started = Date.now();
    await deliver(plain('Demo User <demo@prokov.test>', 'Call the plumber', 'The kitchen sink leaks.\n', id));
    let rows: Record<string, unknown>[] = [];
    await waitUntil(
      'the task',
      async () => (rows = await query('SELECT * FROM tasks WHERE source_message_id = ?', [id])).length === 1,
      40_000,
    );
    console.log(`mail in: APPEND → row in ${Date.now() - started} ms`);
    expect(rows[0]).toMatchObject({ user_id: 1, project_id: 1, title: 'Call the plumber' });
    expect(String(rows[0].description).trim()).toBe('The kitchen sink leaks.');
    await waitUntil(
      'the move to Done',
      async () =>
        (await call<InboxMessageSummary[]>(MAILER_INBOX_PATTERNS.list, { folder: 'Done' })).some(
          (m) => m.message_id === id,
        ),
      10_000,
    );
    // The message is also a mail.received event in the app's event log.
    await waitUntil(
      'the mail.received event',
      () =>
        Promise.resolve(receivedEvents(stack.config.logDir, 'desk').some((e) => e.data.message_id === id)),
      10_000,
    );
    expect(receivedEvents(stack.config.logDir, 'desk').find((e) => e.data.message_id === id)).toMatchObject({
      kind: 'mail.received',
      source: 'mailer',
      data: {
        account: 'tasks',
        folder: 'INBOX',
        from: 'demo@prokov.test',
        subject: 'Call the plumber',
        state: 'done',
      },
    });
  });

  it('acts on a message that arrives right after another from IDLE alone (no poll, no 15 s quiet time first)', async () => {
    // imapflow starts its own IDLE only 15 s after the last command: a second message right
    // behind the first would wait for that (or the 60 s poll) unless the watcher IDLEs at once.
    const first = `<${randomBytes(6).toString('hex')}@test>`;
    const second = `<${randomBytes(6).toString('hex')}@test>`;
    await deliver(plain('demo@prokov.test', 'First of two', 'one', first));
    await waitUntil(
      'the first record',
      async () =>
        (await query("SELECT id FROM sogoms_mail_inbox WHERE message_id = ? AND state = 'done'", [first]))
          .length === 1,
      40_000,
    );
    const started = Date.now();
    await deliver(plain('demo@prokov.test', 'Second of two', 'two', second));
    await waitUntil(
      'the second task',
      async () => (await query('SELECT id FROM tasks WHERE source_message_id = ?', [second])).length === 1,
      8_000,
    );
    console.log(`mail in: APPEND right after another → row in ${Date.now() - started} ms`);
  });

  it('a mail the mailer sends over SMTP, delivered locally (dovecot-lda), becomes a task too', async () => {
    const subject = `Sent by sogoms ${randomBytes(3).toString('hex')}`;
    const sent = await stack.cli(
      'mail',
      'send',
      'desk',
      '--to',
      'tasks@prokov.localhost',
      '--subject',
      subject,
      '--text',
      'Out and back in.',
    );
    expect(sent.code, sent.stderr).toBe(0);
    // The SMTP peer plays the MTA: what it accepted goes to the local delivery agent, not to IMAP.
    let raw = '';
    await waitUntil(
      'the SMTP peer to accept it',
      () => Promise.resolve((raw = smtp.received.find((m) => m.raw.includes(subject))?.raw ?? '') !== ''),
      10_000,
    );
    imap.deliverLocally('tasks', raw);
    let rows: Record<string, unknown>[] = [];
    await waitUntil(
      'the task from the sent mail',
      async () => (rows = await query('SELECT * FROM tasks WHERE title = ?', [subject])).length === 1,
      10_000,
    );
    expect(rows[0]).toMatchObject({ user_id: 1, project_id: 1 });
    expect(String(rows[0].description).trim()).toBe('Out and back in.');
    expect(String(rows[0].source_message_id)).toMatch(/^<.+@.+>$/);
  });

  it("the prokov demo: a mail to tasks@ from a user's address (users.email encrypted) becomes a task, read", async () => {
    const demoWriter = await connectWriter('prokov');
    try {
      const subject = `Water the plants ${randomBytes(3).toString('hex')}`;
      const appended = await demoWriter.append(
        'INBOX',
        plain('Demo User <demo@prokov.test>', subject, 'The ficus too.\n'),
      );
      if (appended === false) throw new Error('APPEND failed');
      const stranger = await demoWriter.append('INBOX', plain('nobody@elsewhere.test', 'Spam', 'buy'));
      if (stranger === false) throw new Error('APPEND failed');
      const prokov = (sql: string, params: unknown[]) => query(sql, params, PROKOV_DB);
      let rows: Record<string, unknown>[] = [];
      await waitUntil(
        'the demo task',
        async () => (rows = await prokov('SELECT * FROM tasks WHERE title = ?', [subject])).length === 1,
        10_000,
      );
      // User 1's first project by position is Home (id 1).
      expect(rows[0]).toMatchObject({ user_id: 1, project_id: 1 });
      expect(String(rows[0].description).trim()).toBe('The ficus too.');
      await waitUntil(
        'both records',
        async () =>
          (
            await prokov(
              "SELECT uid, state FROM sogoms_mail_inbox WHERE app = 'prokov' AND uid IN (?, ?) AND state IN ('done', 'unmatched') ORDER BY uid",
              [Number(appended.uid), Number(stranger.uid)],
            )
          ).length === 2,
        10_000,
      );
      await demoWriter.mailboxOpen('INBOX');
      const seen = await demoWriter.fetchAll(
        `${appended.uid},${stranger.uid}`,
        { flags: true },
        { uid: true },
      );
      expect(seen.map((m) => [m.uid, m.flags?.has('\\Seen') ?? false])).toEqual([
        [Number(appended.uid), true],
        [Number(stranger.uid), false],
      ]);
    } finally {
      await demoWriter.logout().catch(() => undefined);
    }
  });

  it('the demo (tasks has no Message-ID column): a crash between the POST and the record makes no second task', async () => {
    const prokov = (sql: string, params: unknown[] = []) => query(sql, params, PROKOV_DB);
    const demoWriter = await connectWriter('prokov');
    try {
      const subject = `Once per message ${randomBytes(3).toString('hex')}`;
      const appended = await demoWriter.append(
        'INBOX',
        plain('demo@prokov.test', subject, 'Only one task.\n'),
      );
      if (appended === false) throw new Error('APPEND failed');
      const uid = Number(appended.uid);
      const doneRecord = async (): Promise<Record<string, unknown> | undefined> =>
        (
          await prokov(
            "SELECT attempts, outcome FROM sogoms_mail_inbox WHERE app = 'prokov' AND account = 'tasks' AND folder = 'INBOX' AND uid = ? AND state = 'done'",
            [uid],
          )
        )[0];
      await waitUntil('the first run', async () => (await doneRecord()) !== undefined, 40_000);
      expect(await prokov('SELECT id FROM tasks WHERE title = ?', [subject])).toHaveLength(1);
      // What a kill -9 after the gateway's commit and before the mailer's record leaves: the task
      // exists, the claim is "processing" with a lease that ran out. The row's POST carried the key.
      await prokov(
        "UPDATE sogoms_mail_inbox SET state = 'processing', lease_token = 'dead-process', lease_until = 1, outcome = NULL WHERE app = 'prokov' AND account = 'tasks' AND folder = 'INBOX' AND uid = ?",
        [uid],
      );
      // Any new message wakes the watcher, which takes the abandoned claim up first.
      const wake = await demoWriter.append('INBOX', plain('nobody@elsewhere.test', 'Wake up', 'hi'));
      if (wake === false) throw new Error('APPEND failed');
      await waitUntil('the takeover', async () => (await doneRecord()) !== undefined, 40_000);
      const record = await doneRecord();
      expect(Number(record?.attempts)).toBe(2);
      expect(String(record?.outcome)).toMatch(/^task-by-mail: tasks \d+ already made by an earlier try/);
      expect(await prokov('SELECT id FROM tasks WHERE title = ?', [subject])).toHaveLength(1);
      // The key the mailer sent, kept with the task's id.
      const [task] = await prokov('SELECT id FROM tasks WHERE title = ?', [subject]);
      const keys = await prokov(
        "SELECT idempotency_key, row_auto FROM sogoms_idempotency WHERE app = 'prokov' AND table_name = 'tasks' AND row_auto = ?",
        [task.id],
      );
      expect(keys).toEqual([
        { idempotency_key: expect.stringMatching(/^mail:prokov:task-by-mail:<.+@test>$/), row_auto: task.id },
      ]);
    } finally {
      await demoWriter.logout().catch(() => undefined);
    }
  }, 90_000);

  it('leaves a message alone when the sender is no user (the rule does not apply) and nothing else matches', async () => {
    const id = `<${randomBytes(6).toString('hex')}@test>`;
    const uid = await deliver(plain('Stranger <nobody@elsewhere.test>', 'Hello', 'hi', id));
    await waitUntil(
      'the record',
      async () =>
        (
          await query("SELECT state FROM sogoms_mail_inbox WHERE message_id = ? AND state = 'unmatched'", [
            id,
          ])
        ).length === 1,
      40_000,
    );
    expect(await query('SELECT id FROM tasks WHERE source_message_id = ?', [id])).toHaveLength(0);
    const still = await call<InboxMessage>(MAILER_INBOX_PATTERNS.fetch, { uid });
    expect(still.seen).toBe(false);
  });

  it('moves a message the API refuses (a 300-character title) to the failed folder', async () => {
    const id = `<${randomBytes(6).toString('hex')}@test>`;
    await deliver(plain('demo@prokov.test', 'x'.repeat(300), 'too long', id));
    await waitUntil(
      'the failed record',
      async () =>
        (await query("SELECT outcome FROM sogoms_mail_inbox WHERE message_id = ? AND state = 'failed'", [id]))
          .length === 1,
      40_000,
    );
    const [record] = await query('SELECT outcome FROM sogoms_mail_inbox WHERE message_id = ?', [id]);
    expect(String(record.outcome)).toContain('VALIDATION_FAILED');
    const failed = await call<InboxMessageSummary[]>(MAILER_INBOX_PATTERNS.list, { folder: 'failed' });
    expect(failed.some((m) => m.message_id === id)).toBe(true);
  });

  it('posts a signed webhook for a matching subject, and marks the message read', async () => {
    const id = `<${randomBytes(6).toString('hex')}@test>`;
    const uid = await deliver(
      plain('billing@supplier.test', 'Invoice 4711 for November', 'Amount due: 12 EUR', id),
    );
    await waitUntil('the webhook', () => Promise.resolve(hooks.some((h) => h.body.includes(id))), 40_000);
    const hook = hooks.find((h) => h.body.includes(id))!;
    expect(hook.signature).toBe(
      `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(hook.body).digest('hex')}`,
    );
    expect(JSON.parse(hook.body)).toMatchObject({
      rule: 'invoices',
      message_id: id,
      subject: 'Invoice 4711 for November',
    });
    expect((await call<InboxMessage>(MAILER_INBOX_PATTERNS.fetch, { uid })).seen).toBe(true);
  });

  it('lists and fetches plain, HTML (sanitised), multipart with an attachment and ISO-8859-1 messages', async () => {
    const html = await deliver(
      message(
        { From: 'a@x.test', To: 'other@x.test', Subject: 'html', 'Content-Type': 'text/html; charset=utf-8' },
        '<p onclick="steal()">Hi <b>there</b></p><script>alert(1)</script><a href="javascript:x()">x</a>',
      ),
    );
    const multi = await deliver(
      message(
        {
          From: 'a@x.test',
          To: 'other@x.test',
          Subject: 'with file',
          'Content-Type': 'multipart/mixed; boundary="b1"',
        },
        [
          '--b1',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'see attached',
          '--b1',
          'Content-Type: application/octet-stream; name="data.bin"',
          'Content-Disposition: attachment; filename="data.bin"',
          'Content-Transfer-Encoding: base64',
          '',
          Buffer.from('hello attachment').toString('base64'),
          '--b1--',
          '',
        ].join('\r\n'),
      ),
    );
    const latin = await deliver(
      Buffer.concat([
        Buffer.from(
          message(
            {
              From: 'a@x.test',
              To: 'other@x.test',
              Subject: '=?ISO-8859-1?Q?Caf=E9?=',
              'Content-Type': 'text/plain; charset=ISO-8859-1',
              'Content-Transfer-Encoding': '8bit',
            },
            '',
          ),
        ),
        Buffer.from([0x63, 0x72, 0xe8, 0x6d, 0x65, 0x20, 0x62, 0x72, 0xfb, 0x6c, 0xe9, 0x65]),
      ]),
    );
    const listed = await call<InboxMessageSummary[]>(MAILER_INBOX_PATTERNS.list, { subject: 'with file' });
    expect(listed.map((m) => m.uid)).toContain(multi);

    const page = await call<InboxMessage>(MAILER_INBOX_PATTERNS.fetch, { uid: html });
    expect(page.html).toContain('<b>there</b>');
    expect(page.html).not.toMatch(/script|onclick|javascript:/);

    const withFile = await call<InboxMessage>(MAILER_INBOX_PATTERNS.fetch, { uid: multi, attachment: 0 });
    expect(withFile.text?.trim()).toBe('see attached');
    expect(withFile.attachments).toEqual([
      expect.objectContaining({
        index: 0,
        filename: 'data.bin',
        size: 16,
        content: Buffer.from('hello attachment').toString('base64'),
      }),
    ]);

    const french = await call<InboxMessage>(MAILER_INBOX_PATTERNS.fetch, { uid: latin });
    expect(french.subject).toBe('Café');
    expect(french.text?.trim()).toBe('crème brûlée');
  });

  it('answers clear errors: unknown account, unknown uid, unknown folder', async () => {
    await expect(
      mailer.call(MAILER_INBOX_PATTERNS.list, { app: 'desk', account: 'nope' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call(MAILER_INBOX_PATTERNS.fetch, { uid: 999_999 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(call(MAILER_INBOX_PATTERNS.list, { folder: 'Nowhere' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(call(MAILER_INBOX_PATTERNS.fetch, { uid: 'x' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('sogoms mail inbox: folders, list, fetch (and an attachment saved), mark-read, move, delete, clear errors', async () => {
    const subject = `cli ${randomBytes(4).toString('hex')}`;
    const uid = await deliver(
      message(
        {
          From: 'a@x.test',
          To: 'other@x.test',
          Subject: subject,
          'Content-Type': 'multipart/mixed; boundary="b2"',
        },
        [
          '--b2',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'read me from the CLI',
          '--b2',
          'Content-Type: application/octet-stream; name="note.bin"',
          'Content-Disposition: attachment; filename="note.bin"',
          'Content-Transfer-Encoding: base64',
          '',
          Buffer.from('attached bytes').toString('base64'),
          '--b2--',
          '',
        ].join('\r\n'),
      ),
    );
    const folders = await stack.cli('mail', 'inbox', 'folders', 'desk', 'tasks');
    expect(folders.code, folders.stderr).toBe(0);
    expect(folders.stdout).toMatch(/^FOLDER\s+MESSAGES\s+UNSEEN/);
    expect(folders.stdout).toMatch(/^INBOX\s+\d+/m);
    expect(folders.stdout).toMatch(/^Done\s+\d+/m);

    const listed = await stack.cli('mail', 'inbox', 'list', 'desk', 'tasks', '--subject', subject, '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as InboxMessageSummary[]).map((m) => m.uid)).toEqual([uid]);
    const table = await stack.cli('mail', 'inbox', 'list', 'desk', 'tasks', '--subject', subject, '--unseen');
    expect(table.stdout).toMatch(new RegExp(`^${uid}\\s+no\\s+\\S+\\s+a@x\\.test\\s+${subject}`, 'm'));

    const fetched = await stack.cli('mail', 'inbox', 'fetch', 'desk', 'tasks', String(uid));
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(fetched.stdout).toContain(`Subject: ${subject}`);
    expect(fetched.stdout).toContain('read me from the CLI');
    expect(fetched.stdout).toMatch(/0 {2}note\.bin {2}application\/octet-stream {2}14 bytes/);
    const file = join(stack.config.configRoot, 'note.bin');
    const saved = await stack.cli(
      'mail',
      'inbox',
      'fetch',
      'desk',
      'tasks',
      String(uid),
      '--attachment',
      '0',
      '--out',
      file,
    );
    expect(saved.code, saved.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('attached bytes');

    expect((await stack.cli('mail', 'inbox', 'mark-read', 'desk', 'tasks', String(uid))).code).toBe(0);
    expect((await call<InboxMessage>(MAILER_INBOX_PATTERNS.fetch, { uid })).seen).toBe(true);
    const moved = await stack.cli('mail', 'inbox', 'move', 'desk', 'tasks', String(uid), 'Done');
    expect(moved.code, moved.stderr).toBe(0);
    const newUid = Number(/uid (\d+) there/.exec(moved.stdout)?.[1]);
    const inDone = await call<InboxMessageSummary[]>(MAILER_INBOX_PATTERNS.list, { folder: 'Done', subject });
    expect(inDone.map((m) => m.uid)).toEqual([newUid]);
    const deleted = await stack.cli(
      'mail',
      'inbox',
      'delete',
      'desk',
      'tasks',
      String(newUid),
      '--folder',
      'Done',
    );
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(
      await call<InboxMessageSummary[]>(MAILER_INBOX_PATTERNS.list, { folder: 'Done', subject }),
    ).toEqual([]);

    // Errors: the mailer's code and message, exit 1; a bad argument, exit 2 before any call.
    const gone = await stack.cli(
      'mail',
      'inbox',
      'fetch',
      'desk',
      'tasks',
      String(newUid),
      '--folder',
      'Done',
    );
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('NOT_FOUND');
    const badUid = await stack.cli('mail', 'inbox', 'fetch', 'desk', 'tasks', 'abc');
    expect(badUid.code).toBe(2);
    expect(badUid.stderr).toContain('uid: expected a number');
    const noAccount = await stack.cli('mail', 'inbox', 'list', 'desk', 'nope');
    expect(noAccount.code).toBe(1);
    expect(noAccount.stderr).toContain('NOT_FOUND');
    // The server of that account is down: said so, not "the mailer does not answer".
    const down = await stack.cli('mail', 'inbox', 'folders', 'desk', 'down');
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/UNAVAILABLE: .*'down'.*cannot be reached/);
    expect(down.stderr).not.toContain('does not answer');
  }, 60_000);

  it('an account whose server cannot be reached is logged (1st, 2nd, 4th … attempt) and retried; the mailer keeps running', async () => {
    await waitUntil(
      'the fourth reconnect attempt of the account that is down',
      () => Promise.resolve(/desk\/down\/INBOX: .*reconnecting in \d+ ms \(attempt 4\)/.test(stack.output())),
      10_000,
    );
    const status = await stack.cli('status', '--json');
    expect(status.code, status.stdout).toBe(0);
  });

  it('a crash after the row was made but before the record: the next try finds the row (409) and makes no second one', async () => {
    const id = `<${randomBytes(6).toString('hex')}@test>`;
    // The state a kill -9 between the POST and the record leaves: the row exists, the claim is
    // still "processing" with a lease that ran out. The watcher must take it over and not create again.
    const [mailbox] = await query(
      "SELECT uid_validity FROM sogoms_mail_inbox WHERE account = 'tasks' AND folder = 'INBOX' LIMIT 1",
    );
    const status = await writer.status('INBOX', { uidNext: true });
    const nextUid = Number(status === false ? 0 : status.uidNext);
    await query(
      "INSERT INTO tasks (user_id, project_id, title, source_message_id) VALUES (1, 1, 'Made before the crash', ?)",
      [id],
    );
    await query(
      "INSERT INTO sogoms_mail_inbox (app, account, folder, uid_validity, uid, message_id, state, lease_token, lease_until, attempts, created_at, updated_at) VALUES ('desk', 'tasks', 'INBOX', ?, ?, ?, 'processing', 'dead-process', 1, 1, 1, 1)",
      [mailbox.uid_validity, nextUid, id],
    );
    const uid = await deliver(plain('demo@prokov.test', 'Made before the crash', 'again', id));
    expect(uid).toBe(nextUid);
    await waitUntil(
      'the takeover',
      async () =>
        (await query("SELECT state FROM sogoms_mail_inbox WHERE message_id = ? AND state = 'done'", [id]))
          .length === 1,
      20_000,
    );
    expect(await query('SELECT id FROM tasks WHERE source_message_id = ?', [id])).toHaveLength(1);
    const [record] = await query('SELECT outcome, attempts FROM sogoms_mail_inbox WHERE message_id = ?', [
      id,
    ]);
    expect(String(record.outcome)).toContain('already made');
    expect(Number(record.attempts)).toBe(2);
  });

  it('two mailer processes on the same folder: each message is taken up by one of them, once', async () => {
    // A second mailer on a copy of the config: its own run dir (socket, reload acks), the same
    // db and logs services (their sockets linked in), the same accounts and rules.
    const root2 = join(stack.config.dir, 'config-2');
    const run2 = join(stack.config.dir, 'run-2');
    cpSync(stack.config.configRoot, root2, { recursive: true });
    const globalYaml = parse(readFileSync(join(root2, 'sogoms.yaml'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(root2, 'sogoms.yaml'), stringify({ ...globalYaml, run_dir: run2 }));
    mkdirSync(run2);
    for (const service of ['db', 'logs'])
      symlinkSync(socketPath(stack.config.runDir, service), socketPath(run2, service));
    const second = spawn(
      process.execPath,
      [join(PROJECT_ROOT, 'dist/apps/mailer/src/main.js'), '--config', root2],
      {
        cwd: PROJECT_ROOT,
      },
    );
    let secondOutput = '';
    second.stdout.on('data', (d: Buffer) => (secondOutput += d.toString()));
    second.stderr.on('data', (d: Buffer) => (secondOutput += d.toString()));
    try {
      await waitUntil(
        'the second mailer to watch desk/tasks/INBOX',
        () => Promise.resolve(secondOutput.includes('desk/tasks/INBOX: watching')),
        20_000,
      );
      const ids = Array.from({ length: 8 }, () => `<${randomBytes(6).toString('hex')}@test>`);
      for (const [i, id] of ids.entries()) await deliver(plain('demo@prokov.test', `Raced ${i}`, 'race', id));
      await waitUntil(
        'every message done',
        async () =>
          (await query("SELECT id FROM sogoms_mail_inbox WHERE state = 'done' AND message_id IN (?)", [ids]))
            .length === ids.length,
        20_000,
      );
      const records = await query(
        'SELECT message_id, attempts, outcome FROM sogoms_mail_inbox WHERE message_id IN (?)',
        [ids],
      );
      // One claim each: no second attempt, no "already made" (which would mean both ran it).
      for (const record of records) {
        expect(Number(record.attempts), String(record.message_id)).toBe(1);
        expect(String(record.outcome)).not.toContain('already made');
      }
      expect(await query('SELECT id FROM tasks WHERE source_message_id IN (?)', [ids])).toHaveLength(
        ids.length,
      );
      // Each message was logged as done by exactly one of the two processes.
      const both = stack.output() + secondOutput;
      for (const id of ids) expect(both.split(`(${id}): task-by-mail`).length - 1, id).toBe(1);
      console.log(
        `mail in: two mailers took ${ids.filter((id) => secondOutput.includes(`(${id}): task-by-mail`)).length} of ${ids.length} messages in the second process`,
      );
    } finally {
      second.kill('SIGTERM');
      await new Promise((resolve) => second.once('close', resolve));
    }
  }, 60_000);

  it('reconnects after Dovecot restarts and takes up what came while it was down', async () => {
    await writer.logout().catch(() => undefined);
    imap.stop();
    const id = `<${randomBytes(6).toString('hex')}@test>`;
    // Delivered into the maildir while no IMAP server runs (as a local delivery agent would).
    const maildirNew = join(imap.maildirOf('tasks'), 'new');
    const file = join(maildirNew, `${Date.now()}.sogoms-test.eml`);
    appendFileSync(
      file,
      plain('demo@prokov.test', 'Came while IMAP was down', 'offline', id).replace(/\r\n/g, '\n'),
    );
    imap.fixOwnership();
    await imap.restart();
    writer = await connectWriter();
    await waitUntil(
      'the task after the restart',
      async () => (await query('SELECT id FROM tasks WHERE source_message_id = ?', [id])).length === 1,
      45_000,
    );
  }, 60_000);
});
