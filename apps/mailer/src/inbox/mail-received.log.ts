import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { IpcClient, ipcClientToken, LogReporter } from '@sogoms/ipc';

/** One message the watcher took up, as the `mail.received` event tells it. */
export interface ReceivedMail {
  app: string;
  account: string;
  folder: string;
  uid: number;
  messageId: string | null;
  from: string | null;
  subject: string | null;
  /** What the rules made of it: done, unmatched or failed. */
  state: string;
  /** `rule: what it did; …`, or why it failed. */
  outcome: string;
}

/**
 * Each new message becomes a `mail.received` event of its app in the logs service (the app's
 * event log, fire-and-forget: a logs outage never holds up the mail), once it is processed.
 */
@Injectable()
export class MailReceivedLog implements OnApplicationBootstrap {
  private readonly logs: LogReporter;

  constructor(@Inject(ipcClientToken('logs')) private readonly ipc: IpcClient) {
    this.logs = new LogReporter(ipc, 'mailer');
  }

  /** The client connects lazily and drops what is emitted before: connect now, not at the first mail. */
  onApplicationBootstrap(): void {
    this.ipc.connect().catch(() => undefined);
  }

  received(mail: ReceivedMail): void {
    this.logs.event(
      mail.app,
      'mail.received',
      `mail ${mail.account}/${mail.folder} uid ${mail.uid} from ${mail.from ?? '(no sender)'}: ${mail.state}`,
      {
        account: mail.account,
        folder: mail.folder,
        uid: mail.uid,
        message_id: mail.messageId,
        from: mail.from,
        subject: mail.subject,
        state: mail.state,
        outcome: mail.outcome,
      },
    );
  }
}
