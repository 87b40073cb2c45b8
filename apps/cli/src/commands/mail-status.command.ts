import { MAILER_PATTERNS, type MailMessageStatus } from '@sogoms/ipc';
import { CliFailure, EXIT, type CliCommand } from '../cli-context.js';
import { callMailer } from '../mailer-client.js';
import { mailStatusTable } from './mail-status.table.js';

/** What `mail status` takes (declared in mail.command.ts). */
export interface MailStatusOptions {
  json?: boolean;
}

/** `sogoms mail status <app> [id]`: one message, or the queue's newest 20. */
export const mailStatusCommand: CliCommand<MailStatusOptions> = {
  async run(ctx) {
    const [app, id] = ctx.args;
    if (id !== undefined && !/^[1-9]\d*$/.test(id))
      throw new CliFailure(`id: expected a message number, got ${JSON.stringify(id)}`);
    const messages =
      id === undefined
        ? await callMailer<MailMessageStatus[]>(ctx.configRoot, MAILER_PATTERNS.list, { app, limit: 20 })
        : [
            await callMailer<MailMessageStatus>(ctx.configRoot, MAILER_PATTERNS.status, {
              app,
              id: Number(id),
            }),
          ];
    ctx.out(
      ctx.options.json === true
        ? JSON.stringify(id === undefined ? messages : messages[0], null, 2)
        : mailStatusTable(messages),
    );
    return EXIT.ok;
  },
};
