import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { IpcClient, MAILER_PATTERNS, UnixSocketClient, socketPath, type MailBulkQueued } from '@sogoms/ipc';
import { SMTPServer } from 'smtp-server';
import { parseDocument } from 'yaml';
import type { BenchOptions } from './bench-options.js';
import { addDemoApp, removeBenchConfig, startStack, writeBenchConfig } from './bench-stack.js';
import { freePort, sleep } from './http-call.js';
import { withConnection, type MysqlServer } from './mysql-server.js';
import { rssMb } from './process-rss.js';

export const MAIL_DB = 'sogoms_bench_mail';
/** SMTP connections of the bench app: the mailer sends at most this many messages at once. */
const POOL = 4;

/** `send_bulk` of one template to many recipients, timed from the call to the last 250. */
export interface MailBenchResult {
  status: 'ok' | 'failed';
  note?: string;
  messages: number;
  pool: number;
  /** How long `mailer.send_bulk` took to answer (every row committed to the queue). */
  queued_ms: number | null;
  /** From the call to the moment the local SMTP server had accepted every message. */
  delivered_ms: number | null;
  /** messages / delivered_ms: queued → sent, end to end. */
  msgs_per_s: number | null;
  /** Rows of the queue in state `sent` at the end (must equal `messages`). */
  sent_rows: number | null;
  /** Messages the SMTP server accepted (more than `messages` would be duplicates). */
  received: number | null;
  /** The mailer's RSS idle (after start, before the bulk) and its peak during the bulk, MiB. */
  mailer_idle_rss_mb: number | null;
  mailer_peak_rss_mb: number | null;
}

export const mailNotMeasured = (note: string): MailBenchResult => ({
  status: 'failed',
  note,
  messages: 0,
  pool: POOL,
  queued_ms: null,
  delivered_ms: null,
  msgs_per_s: null,
  sent_rows: null,
  received: null,
  mailer_idle_rss_mb: null,
  mailer_peak_rss_mb: null,
});

/** A real SMTP server on loopback that accepts every message at once and counts them. */
const startSmtpSink = async (): Promise<{ port: number; received(): number; close(): Promise<void> }> => {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('end', () => {
        received++;
        callback();
      });
      stream.resume();
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, received: () => received, close: () => new Promise((resolve) => server.close(resolve)) };
};

/** Points the demo app's smtp: at the sink, with the bench's pool and no rate limit. */
const pointSmtpAt = (appYaml: string, port: number): void => {
  const doc = parseDocument(readFileSync(appYaml, 'utf8'));
  doc.deleteIn(['smtp', 'host_env']);
  doc.deleteIn(['smtp', 'port_env']);
  doc.setIn(['smtp', 'host'], '127.0.0.1');
  doc.setIn(['smtp', 'port'], port);
  doc.setIn(['smtp', 'starttls'], 'off');
  doc.setIn(['smtp', 'pool'], POOL);
  writeFileSync(appYaml, doc.toString());
};

const sentRows = (server: MysqlServer): Promise<number> =>
  withConnection(
    server,
    async (c) => {
      const [rows] = await c.query("SELECT COUNT(*) AS n FROM sogoms_mail_queue WHERE state = 'sent'");
      return Number((rows as { n: number }[])[0].n);
    },
    MAIL_DB,
  );

/**
 * The mail phase: the real stack with the demo app, its smtp: pointed at a local smtp-server;
 * one `mailer.send_bulk` of the welcome template to N recipients over the mailer's own socket,
 * then the time until the server has every message.
 */
export const runMailPhase = async (
  options: BenchOptions,
  server: MysqlServer,
  log: (line: string) => void,
): Promise<MailBenchResult> => {
  const messages = options.quick ? 500 : 2000;
  // A fresh queue each run: the count of sent rows is this run's.
  await withConnection(server, (c) => c.query(`DROP DATABASE IF EXISTS \`${MAIL_DB}\``));
  const sink = await startSmtpSink();
  const config = await writeBenchConfig(await freePort(), 'mail', { nodeArgs: options.nodeArgs });
  const app = addDemoApp(config, MAIL_DB, 'prokov.mail.bench');
  pointSmtpAt(join(config.configRoot, 'apps', app.name, 'app.yaml'), sink.port);
  log(`starting the mail stack (config ${config.configRoot}, SMTP sink port ${sink.port})`);
  const stack = await startStack(config);
  const client = new IpcClient(new UnixSocketClient({ path: socketPath(config.runDir, 'mailer') }), {
    timeoutMs: 120_000,
  });
  try {
    const mailerPid = (await stack.pids()).mailer;
    if (mailerPid === undefined) return mailNotMeasured('the mailer did not start');
    await sleep(3000);
    const idle = rssMb(mailerPid);
    let peak = idle ?? 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(mailerPid) ?? 0)), 100);
    const recipients = Array.from({ length: messages }, (_, i) => ({
      to: `user${i + 1}@bench.test`,
      vars: { email: `user${i + 1}@bench.test`, name: `User ${i + 1}` },
    }));
    const started = performance.now();
    let queuedMs: number;
    let deliveredMs: number | null = null;
    try {
      const queued = await client.call<MailBulkQueued>(MAILER_PATTERNS.sendBulk, {
        app: app.name,
        template: 'welcome',
        recipients,
      });
      queuedMs = performance.now() - started;
      log(`send_bulk queued ${queued.created} messages in ${Math.round(queuedMs)} ms`);
      const deadline = started + 180_000;
      while (performance.now() < deadline) {
        if (sink.received() >= messages) {
          deliveredMs = performance.now() - started;
          break;
        }
        await sleep(20);
      }
    } finally {
      clearInterval(sampler);
    }
    // The last 250 comes before the mailer records `sent`: give the rows a moment to catch up.
    let sent = await sentRows(server);
    for (let i = 0; i < 50 && sent < messages; i++) {
      await sleep(100);
      sent = await sentRows(server);
    }
    return {
      status: deliveredMs === null ? 'failed' : 'ok',
      ...(deliveredMs === null
        ? { note: `only ${sink.received()} of ${messages} arrived within 180 s` }
        : {}),
      messages,
      pool: POOL,
      queued_ms: queuedMs,
      delivered_ms: deliveredMs,
      msgs_per_s: deliveredMs === null ? null : (messages / deliveredMs) * 1000,
      sent_rows: sent,
      received: sink.received(),
      mailer_idle_rss_mb: idle,
      mailer_peak_rss_mb: peak,
    };
  } finally {
    await client.close();
    await stack.stop();
    await sink.close();
    removeBenchConfig(config);
  }
};
