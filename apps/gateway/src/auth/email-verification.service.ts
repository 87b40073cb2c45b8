import { Inject, Injectable } from '@nestjs/common';
import { hashOpaqueToken, newOpaqueToken } from '@sogoms/auth';
import { SogomsError } from '@sogoms/common';
import { LogReporter, type InsertResult, type Row } from '@sogoms/ipc';
import { DbClient } from '../ipc/db.client.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { AccountMail } from './account-mail.js';
import { AccountTables } from './account-tables.js';
import { answerNoSoonerThan } from './even-timing.js';
import type { ClientInfo } from './client-info.decorator.js';
import type { EmailDto, TokenDto } from './account.dto.js';
import { MailRequestLimiter } from './mail-request-limiter.js';
import { OneTimeTokens } from './one-time-tokens.js';
import { idOf, isVerified, normalizeEmail, sqlDateTime } from './user-row.js';

export const RESEND_ANSWER = {
  message: 'If an unverified account exists for this address, a verification link has been sent to it.',
} as const;

/** `auth.verify_email`: a mailed single-use link, login refused until it is used; resend on request. */
@Injectable()
export class EmailVerificationService {
  constructor(
    private readonly db: DbClient,
    private readonly tables: AccountTables,
    private readonly oneTime: OneTimeTokens,
    private readonly mail: AccountMail,
    private readonly limits: MailRequestLimiter,
    @Inject(LogReporter) private readonly logs: LogReporter,
  ) {}

  /** Mails a new link to the user of `row` (register, resend). */
  async sendLink(app: AppRuntime, row: Row): Promise<void> {
    await this.tables.ensure(app);
    const token = newOpaqueToken();
    const now = Date.now();
    const userId = String(idOf(app, row));
    await this.oneTime.insert(
      app.config.name,
      'verify',
      userId,
      hashOpaqueToken(token),
      now,
      now + app.config.auth.verifyTtlS * 1000,
    );
    await this.mail.send(app, 'verify', row, token);
  }

  async verify(app: AppRuntime, dto: TokenDto): Promise<{ verified: true }> {
    await this.tables.ensure(app);
    const name = app.config.name;
    const now = Date.now();
    const token = await this.oneTime.find(name, 'verify', hashOpaqueToken(dto.token), now);
    if (token === null || !(await this.oneTime.use(name, token, now)))
      throw new SogomsError('INVALID_TOKEN', 'Invalid or expired verification token');
    const [marked] = await this.db.transaction(name, [
      { sql: app.usersSql.markVerified, params: [sqlDateTime(now), token.userId], kind: 'write' },
      this.oneTime.useAllStatement(name, 'verify', token.userId, now),
    ]);
    if ((marked as InsertResult).affected_rows === 1)
      this.logs.event(name, 'email_verified', 'Email verified', { user_id: token.userId });
    return { verified: true };
  }

  /** Always the same answer (and about the same time), known address or not, verified or not. */
  async resend(app: AppRuntime, dto: EmailDto, client: ClientInfo): Promise<typeof RESEND_ANSWER> {
    const started = Date.now();
    try {
      await this.tables.ensure(app);
      const email = normalizeEmail(dto.email);
      await this.limits.count(app, 'verify', email, client.ip, started);
      const found = await this.db.queryOne(app.config.name, app.usersSql.byLogin, [
        app.usersSql.login.lookupValue(email),
      ]);
      const row = found === null ? null : app.usersSql.login.readRow(found);
      if (app.config.auth.verifyEmail && row !== null && !isVerified(app, row)) await this.sendLink(app, row);
      return RESEND_ANSWER;
    } finally {
      await answerNoSoonerThan(started);
    }
  }
}
