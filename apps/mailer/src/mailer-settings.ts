import { Injectable } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';
import type {
  AppConfig,
  GlobalConfig,
  ImapAccountConfig,
  ImapConfig,
  LoadedConfig,
  SmtpConfig,
} from '@sogoms/config';
import { dialectOf, type SqlDialect } from '@sogoms/db/dialect';

/** An app that sends mail: its configuration with the `smtp:` section present. */
export type MailApp = AppConfig & { smtp: SmtpConfig };

/** An app that reads mail: its configuration with the `imap:` section present. */
export type InboxApp = AppConfig & { imap: ImapConfig };

/**
 * The apps the mailer knows. A reload (SIGHUP) swaps the whole map in one assignment; a send
 * in progress keeps the app it started with.
 */
@Injectable()
export class MailerSettings {
  private apps = new Map<string, AppConfig>();
  private globalConfig: GlobalConfig | null = null;

  replace(config: LoadedConfig): void {
    this.apps = new Map(config.apps.map((app) => [app.name, app]));
    this.globalConfig = config.global;
  }

  /** sogoms.yaml as last loaded (the gateway's port, for rows made from mail). */
  get global(): GlobalConfig {
    if (this.globalConfig === null)
      throw new Error('MailerSettings read before the configuration was loaded');
    return this.globalConfig;
  }

  /** Apps with `smtp:`: the ones the worker delivers for. */
  mailApps(): MailApp[] {
    return [...this.apps.values()].filter((app): app is MailApp => app.smtp !== null);
  }

  /** NOT_FOUND for an unknown app, BAD_REQUEST for one without `smtp:`. */
  mailApp(name: string): MailApp {
    const app = this.apps.get(name);
    if (app === undefined) throw new SogomsError('NOT_FOUND', `Unknown app '${name}'`);
    if (app.smtp === null)
      throw new SogomsError('BAD_REQUEST', `App '${name}' sends no mail: its app.yaml has no smtp: section`);
    return app as MailApp;
  }

  /** Apps with `imap:`: the ones the watchers read for. */
  inboxApps(): InboxApp[] {
    return [...this.apps.values()].filter((app): app is InboxApp => app.imap !== null);
  }

  /** NOT_FOUND for an unknown app or account, BAD_REQUEST for an app without `imap:`. */
  imapAccount(appName: string, accountName: unknown): { app: InboxApp; account: ImapAccountConfig } {
    const app = this.apps.get(appName);
    if (app === undefined) throw new SogomsError('NOT_FOUND', `Unknown app '${appName}'`);
    if (app.imap === null)
      throw new SogomsError(
        'BAD_REQUEST',
        `App '${appName}' reads no mail: its app.yaml has no imap: section`,
      );
    const account =
      typeof accountName === 'string' ? app.imap.accounts.find((a) => a.name === accountName) : undefined;
    if (account === undefined)
      throw new SogomsError(
        'NOT_FOUND',
        `App '${appName}' has no IMAP account '${String(accountName)}' (it has ${app.imap.accounts.map((a) => a.name).join(', ')})`,
        { field: 'account' },
      );
    return { app: app as InboxApp, account };
  }

  dialect(app: AppConfig): SqlDialect {
    return dialectOf(app.database.driver);
  }
}
