import type { Logger } from '@nestjs/common';
import type { ImapAccountConfig } from '@sogoms/config';
import type { ImapFlow } from 'imapflow';
import type { InboxApp } from '../mailer-settings.js';
import type { FolderKey, InboxRecordRepository } from '../rules/inbox-record.repository.js';
import type { MailRules } from '../rules/mail-rules.js';
import { PermanentRuleFailure } from '../rules/rule-failure.js';
import { incomingMail } from '../rules/rule-matcher.js';
import type { RuleRunner } from '../rules/rule-runner.js';
import { imapClientFor } from './imap-session.js';
import type { MailReceivedLog } from './mail-received.log.js';

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;
/** After a temporary failure (gateway or database down) the folder is looked at again this soon. */
const RETRY_MS = 15_000;

/** What a watcher needs from the mailer (the app may change at reload; the watcher is then replaced). */
export interface WatcherDeps {
  records: InboxRecordRepository;
  rules: MailRules;
  runner: RuleRunner;
  received: MailReceivedLog;
  logger: Logger;
}

/**
 * One IMAP connection on one folder of one account: IDLE as soon as nothing is left to do (an
 * EXISTS while idling wakes it; a poll every `poll_s` where the server has no IDLE), every new
 * message taken up once through the record table, reconnects with backoff when the server goes away.
 */
export class FolderWatcher {
  private client: ImapFlow | null = null;
  private stopped = false;
  private backoffMs = RECONNECT_MIN_MS;
  /** Failed connections in a row, and the reason last given (for the log's thinning). */
  private failures = 0;
  private lastReason = '';
  private processing: Promise<void> | null = null;
  private again = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly app: InboxApp,
    readonly account: ImapAccountConfig,
    readonly folder: string,
    private readonly deps: WatcherDeps,
  ) {}

  get label(): string {
    return `${this.app.name}/${this.account.name}/${this.folder}`;
  }

  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of [this.retryTimer, this.reconnectTimer, this.pollTimer])
      if (timer !== null) clearTimeout(timer);
    await this.processing;
    const client = this.client;
    this.client = null;
    if (client !== null) await client.logout().catch(() => client.close());
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = await imapClientFor(this.account);
    client.on('error', (error: Error) => this.deps.logger.warn(`${this.label}: ${error.message}`));
    client.on('close', () => {
      // Not up yet: a failed connect, whose error (below) says why better than "closed".
      if (this.client !== client) return;
      this.client = null;
      this.reconnect('the connection closed');
    });
    client.on('exists', () => this.wake());
    try {
      await client.connect();
      await client.mailboxOpen(this.folder);
    } catch (error) {
      client.close();
      this.reconnect((error as Error).message);
      return;
    }
    if (this.stopped) {
      await client.logout().catch(() => client.close());
      return;
    }
    this.client = client;
    this.backoffMs = RECONNECT_MIN_MS;
    this.failures = 0;
    this.lastReason = '';
    this.deps.logger.log(
      `${this.label}: watching (${client.capabilities.has('IDLE') ? 'IDLE' : `poll every ${this.account.pollS} s`})`,
    );
    if (!client.capabilities.has('IDLE')) this.schedulePoll();
    // What came while no connection was up.
    this.wake();
  }

  private reconnect(reason: string): void {
    if (this.stopped || this.reconnectTimer !== null) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, RECONNECT_MAX_MS);
    this.failures++;
    const line = `${this.label}: ${reason}; reconnecting in ${delay} ms (attempt ${this.failures})`;
    // The 1st, 2nd, 4th, 8th … failure in a row, or a new reason: a server down for a day (the
    // demo's, with no IMAP server there) is a dozen lines, not thousands.
    const powerOfTwo = (this.failures & (this.failures - 1)) === 0;
    if (powerOfTwo || reason !== this.lastReason) this.deps.logger.warn(line);
    else this.deps.logger.debug(line);
    this.lastReason = reason;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
  }

  private schedulePoll(): void {
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      if (this.stopped || this.client === null) return;
      void this.client.noop().catch(() => undefined);
      this.wake();
      this.schedulePoll();
    }, this.account.pollS * 1000);
  }

  /** Looks at the folder now, or right after the look in progress. */
  wake(): void {
    if (this.stopped) return;
    if (this.processing !== null) {
      this.again = true;
      return;
    }
    this.processing = this.processNew()
      .catch((error: unknown) => {
        this.deps.logger.warn(`${this.label}: ${(error as Error).message}; retrying in ${RETRY_MS / 1000} s`);
        this.retryLater();
      })
      .finally(() => {
        this.processing = null;
        if (this.again) {
          this.again = false;
          this.wake();
        } else this.idle();
      });
  }

  /**
   * IDLE right away. imapflow's auto-IDLE starts only after 15 s without a command, and until
   * IDLE runs the server tells nothing: a message arriving in that window waited for it (the
   * 12–13 s the tests saw). The next command (a wake's SEARCH) breaks this IDLE by itself.
   */
  private idle(): void {
    const client = this.client;
    if (this.stopped || client === null || !client.capabilities.has('IDLE')) return;
    client.idle().catch((error: unknown) => {
      // A closing connection ends its IDLE with an error: the reconnect says enough then.
      if (this.client === client) this.deps.logger.warn(`${this.label}: IDLE: ${(error as Error).message}`);
    });
  }

  private retryLater(): void {
    if (this.retryTimer !== null || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.wake();
    }, RETRY_MS);
  }

  private async processNew(): Promise<void> {
    const client = this.client;
    if (client === null || client.mailbox === false) return;
    const key: FolderKey = {
      account: this.account.name,
      folder: this.folder,
      uidValidity: Number(client.mailbox.uidValidity),
    };
    const from = await this.deps.records.firstUidToProcess(this.app, key);
    const found = await client.search({ uid: `${from}:*` }, { uid: true });
    // `n:*` names the last message even when its UID is below n.
    const uids = (found === false || found === undefined ? [] : found)
      .filter((uid) => uid >= from)
      .sort((a, b) => a - b);
    if (uids.length === 0) return;
    const finished = await this.deps.records.finishedUids(this.app, key, from);
    for (const uid of uids) {
      if (this.stopped || this.client !== client) return;
      if (!finished.has(uid)) await this.processOne(client, key, uid);
    }
  }

  private async processOne(client: ImapFlow, key: FolderKey, uid: number): Promise<void> {
    const fetched = await client.fetchOne(String(uid), { source: true, envelope: true }, { uid: true });
    if (fetched === false || fetched.source === undefined) return;
    const messageId = fetched.envelope?.messageId ?? null;
    const token = await this.deps.records.claim(this.app, key, uid, messageId, Date.now());
    // Another mailer process has it, or it is done.
    if (token === null) return;
    const { simpleParser } = await import('mailparser');
    const mail = incomingMail({ ...key, uid }, await simpleParser(fetched.source));
    const mailbox = {
      move: async (folder: string): Promise<void> => {
        await client.messageMove(String(uid), folder, { uid: true });
      },
      markRead: async (): Promise<void> => {
        await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      },
    };
    const received = (state: string, outcome: string): void =>
      this.deps.received.received({
        app: this.app.name,
        account: this.account.name,
        folder: this.folder,
        uid,
        messageId,
        from: mail.from,
        subject: mail.subject,
        state,
        outcome,
      });
    try {
      const outcome = await this.deps.runner.run(this.app, this.deps.rules.of(this.app.name), mail, mailbox);
      await this.deps.records.finish(this.app, key, uid, token, outcome.state, outcome.summary, Date.now());
      received(outcome.state, outcome.summary);
      if (outcome.state === 'done')
        this.deps.logger.log(
          `${this.label}: message ${uid} (${messageId ?? 'no Message-ID'}): ${outcome.summary}`,
        );
    } catch (error) {
      if (!(error instanceof PermanentRuleFailure)) {
        await this.deps.records
          .release(this.app, key, uid, token, (error as Error).message, Date.now())
          .catch(() => undefined);
        throw error;
      }
      this.deps.logger.warn(
        `${this.label}: message ${uid} (${messageId ?? 'no Message-ID'}) failed: ${error.message}; moved to ${this.account.failedFolder}`,
      );
      await client.messageMove(String(uid), this.account.failedFolder, { uid: true }).catch(() => undefined);
      await this.deps.records.finish(this.app, key, uid, token, 'failed', error.message, Date.now());
      received('failed', error.message);
    }
  }
}
