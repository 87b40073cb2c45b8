import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MailerSettings } from '../mailer-settings.js';
import { InboxRecordRepository } from '../rules/inbox-record.repository.js';
import { MailRules } from '../rules/mail-rules.js';
import { RuleRunner } from '../rules/rule-runner.js';
import { FolderWatcher } from './folder-watcher.js';
import { MailReceivedLog } from './mail-received.log.js';

/** One FolderWatcher per watched folder of every app's accounts; `sync` after a reload. */
@Injectable()
export class InboxWatchers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('InboxWatcher');
  /** By `{app}/{account}/{folder}` with the account settings they were made from. */
  private readonly watchers = new Map<string, { watcher: FolderWatcher; settings: string }>();

  constructor(
    private readonly settings: MailerSettings,
    private readonly records: InboxRecordRepository,
    private readonly rules: MailRules,
    private readonly runner: RuleRunner,
    private readonly received: MailReceivedLog,
  ) {}

  onApplicationBootstrap(): void {
    void this.sync();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.watchers.values()].map((w) => w.watcher.stop()));
    this.watchers.clear();
  }

  /** Starts watchers for new folders, stops removed ones, replaces those whose account changed. */
  async sync(): Promise<void> {
    const wanted = new Map<string, { make: () => FolderWatcher; settings: string }>();
    for (const app of this.settings.inboxApps())
      for (const account of app.imap.accounts)
        for (const folder of account.watch) {
          const settings = JSON.stringify({
            account,
            basePath: app.basePath,
            hosts: app.hosts,
            auth: app.auth,
          });
          wanted.set(`${app.name}/${account.name}/${folder}`, {
            settings,
            make: () =>
              new FolderWatcher(app, account, folder, {
                records: this.records,
                rules: this.rules,
                runner: this.runner,
                received: this.received,
                logger: this.logger,
              }),
          });
        }
    const stopping: Promise<void>[] = [];
    for (const [key, current] of this.watchers) {
      const next = wanted.get(key);
      if (next !== undefined && next.settings === current.settings) {
        // Rules may have changed: look again with them.
        current.watcher.wake();
        continue;
      }
      stopping.push(current.watcher.stop());
      this.watchers.delete(key);
    }
    await Promise.all(stopping);
    for (const [key, next] of wanted) {
      if (this.watchers.has(key)) continue;
      const watcher = next.make();
      this.watchers.set(key, { watcher, settings: next.settings });
      watcher.start();
    }
  }
}
