import { MAILER_PATTERNS, type RenderedMail } from '@sogoms/ipc';
import { CliFailure, EXIT, type CliCommand } from '../cli-context.js';
import { callMailer } from '../mailer-client.js';
import { mailVarsOf } from './mail-vars.js';

/** What `mail preview` takes (declared in mail.command.ts). */
export interface MailPreviewOptions {
  vars?: string;
  lang?: string;
}

/** `sogoms mail preview <app> <template> --vars '{...}'`: the rendered message; nothing is queued. */
export const mailPreviewCommand: CliCommand<MailPreviewOptions> = {
  async run(ctx) {
    const [app, template] = ctx.args;
    if (app === undefined || template === undefined)
      throw new CliFailure('usage: sogoms mail preview <app> <template>');
    const mail = await callMailer<RenderedMail>(ctx.configRoot, MAILER_PATTERNS.preview, {
      app,
      template,
      vars: mailVarsOf(ctx.options.vars),
      ...(ctx.options.lang === undefined ? {} : { lang: ctx.options.lang }),
    });
    ctx.out(`Subject: ${mail.subject}`);
    if (mail.text !== null) ctx.out(`\n--- text ---\n${mail.text}`);
    if (mail.html !== null) ctx.out(`\n--- html ---\n${mail.html}`);
    return EXIT.ok;
  },
};
