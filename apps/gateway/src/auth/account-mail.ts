import { Inject, Injectable } from '@nestjs/common';
import { hashOpaqueToken } from '@sogoms/auth';
import { LogReporter, type Row } from '@sogoms/ipc';
import { MailerClient } from '../ipc/mailer.client.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import type { OneTimePurpose } from './one-time-tokens.js';
import { idOf, loginOf } from './user-row.js';

const NAME_FIELD = 'name';

/**
 * The reset and verification mails, through the mailer's `send_template` with the app's
 * `emails/{auth.reset_mail}.yaml` / `emails/{auth.verify_mail}.yaml` (vars `email`, `name`,
 * `token`, `link`, `expires_minutes`). Awaited: the mail is in the app's queue (durable) before
 * the request is answered. A mailer that refuses is logged, never shown to the caller (the
 * answer must not differ between known and unknown addresses).
 */
@Injectable()
export class AccountMail {
  constructor(
    private readonly mailer: MailerClient,
    @Inject(LogReporter) private readonly logs: LogReporter,
  ) {}

  async send(app: AppRuntime, purpose: OneTimePurpose, row: Row, token: string): Promise<void> {
    const auth = app.config.auth;
    const template = purpose === 'reset' ? auth.resetMail : auth.verifyMail;
    const url = purpose === 'reset' ? auth.resetUrl : auth.verifyUrl;
    const ttlS = purpose === 'reset' ? auth.resetTtlS : auth.verifyTtlS;
    const email = loginOf(app, row);
    const name = row[NAME_FIELD];
    try {
      await this.mailer.sendTemplate({
        app: app.config.name,
        template,
        to: email,
        vars: {
          email,
          name: typeof name === 'string' && name !== '' ? name : email,
          token,
          link: url === null ? '' : url.replaceAll('{token}', encodeURIComponent(token)),
          expires_minutes: Math.round(ttlS / 60),
        },
        // A retried call must not mail twice; each token is its own mail.
        idempotency_key: `${purpose}-${hashOpaqueToken(token).slice(0, 40)}`,
      });
    } catch (error) {
      this.logs.error(app.config.name, `${purpose}_mail_failed`, 'Account mail not queued', {
        user_id: idOf(app, row),
        template,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
