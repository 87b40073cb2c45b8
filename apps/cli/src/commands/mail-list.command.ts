import { MAILER_PATTERNS, type MailMessageStatus } from '@sogoms/ipc';
import { CliFailure, EXIT, type CliCommand } from '../cli-context.js';
import { callMailer } from '../mailer-client.js';
import { mailStatusTable } from './mail-status.table.js';

/** What `mail list` takes (declared in mail.command.ts). */
export interface MailListOptions {
  state?: string;
  since?: string;
  limit?: string;
  json?: boolean;
}

/** `sogoms mail list <app> [--state S] [--since DATE] [--limit N]`: the queue, newest first. */
export const mailListCommand: CliCommand<MailListOptions> = {
  async run(ctx) {
    const o = ctx.options;
    if (o.limit !== undefined && !/^[1-9]\d*$/.test(o.limit))
      throw new CliFailure(`--limit: expected a number, got ${JSON.stringify(o.limit)}`);
    const messages = await callMailer<MailMessageStatus[]>(ctx.configRoot, MAILER_PATTERNS.list, {
      app: ctx.args[0],
      ...(o.state === undefined ? {} : { state: o.state }),
      ...(o.since === undefined ? {} : { since: o.since }),
      ...(o.limit === undefined ? {} : { limit: Number(o.limit) }),
    });
    ctx.out(o.json === true ? JSON.stringify(messages, null, 2) : mailStatusTable(messages));
    return EXIT.ok;
  },
};
