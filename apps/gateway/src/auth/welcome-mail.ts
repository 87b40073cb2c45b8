import { Inject, Injectable } from '@nestjs/common';
import { LogReporter } from '@sogoms/ipc';
import { MailerClient } from '../ipc/mailer.client.js';
import type { AppRuntime } from '../runtime/app-runtime.js';

/**
 * app.yaml `auth.welcome_mail`: a mail to each new user, queued after the register transaction
 * committed. Never awaited by the request: a mailer that is down or slow neither fails nor slows
 * a registration (the failure goes to the logs service).
 */
@Injectable()
export class WelcomeMail {
  constructor(
    private readonly mailer: MailerClient,
    @Inject(LogReporter) private readonly logs: LogReporter,
  ) {}

  queue(app: AppRuntime, userId: unknown, email: string, name: string | null | undefined): void {
    const template = app.config.auth.welcomeMail;
    if (template === null) return;
    this.mailer
      .sendTemplate({
        app: app.config.name,
        template,
        to: email,
        vars: { email, name: name ?? email },
        // A retried registration reply must not mail twice.
        idempotency_key: `welcome-${String(userId)}`,
      })
      .catch((error: unknown) =>
        this.logs.error(app.config.name, 'welcome_mail_failed', 'Welcome mail not queued', {
          user_id: userId,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
  }
}
