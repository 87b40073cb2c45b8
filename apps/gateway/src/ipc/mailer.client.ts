import { MAILER_PATTERNS, type IpcClient, type MailQueued, type MailSendTemplateRequest } from '@sogoms/ipc';

/** Typed calls to the mailer service (one round trip each). */
export class MailerClient {
  constructor(private readonly ipc: IpcClient) {}

  /** Queues a templated message; resolves with its id once it is in the app's queue. */
  sendTemplate(request: MailSendTemplateRequest): Promise<MailQueued> {
    return this.ipc.call<MailQueued>(MAILER_PATTERNS.sendTemplate, request);
  }
}
