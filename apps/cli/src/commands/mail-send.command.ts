import { MAILER_PATTERNS, type MailQueued } from '@sogoms/ipc';
import { EXIT, type CliCommand } from '../cli-context.js';
import { callMailer } from '../mailer-client.js';
import { mailVarsOf } from './mail-vars.js';

/** What `mail send` takes (declared in mail.command.ts). */
export interface MailSendOptions {
  to: string[];
  subject?: string;
  text?: string;
  html?: string;
  template?: string;
  vars?: string;
  lang?: string;
  idempotencyKey?: string;
}

/** `sogoms mail send <app> --to A --subject S --text T` (or `--template T --vars '{...}'`): queues one message, prints its id. */
export const mailSendCommand: CliCommand<MailSendOptions> = {
  async run(ctx) {
    const o = ctx.options;
    const common = {
      app: ctx.args[0],
      to: o.to,
      ...(o.idempotencyKey === undefined ? {} : { idempotency_key: o.idempotencyKey }),
    };
    const queued =
      o.template === undefined
        ? await callMailer<MailQueued>(ctx.configRoot, MAILER_PATTERNS.send, {
            ...common,
            subject: o.subject,
            text: o.text,
            html: o.html,
          })
        : await callMailer<MailQueued>(ctx.configRoot, MAILER_PATTERNS.sendTemplate, {
            ...common,
            template: o.template,
            vars: mailVarsOf(o.vars),
            ...(o.lang === undefined ? {} : { lang: o.lang }),
          });
    ctx.out(
      queued.created
        ? `queued message ${queued.id}`
        : `message ${queued.id} was queued before (same idempotency key)`,
    );
    return EXIT.ok;
  },
};
