import { Inject, Injectable } from '@nestjs/common';
import {
  checkPassword,
  hashOpaqueToken,
  newOpaqueToken,
  PasswordHasher,
  type TokenClaims,
} from '@sogoms/auth';
import { SogomsError } from '@sogoms/common';
import { LogReporter } from '@sogoms/ipc';
import { DbClient } from '../ipc/db.client.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { AccountMail } from './account-mail.js';
import { AccountTables } from './account-tables.js';
import { answerNoSoonerThan } from './even-timing.js';
import type { ClientInfo } from './client-info.decorator.js';
import type { ChangePasswordDto, ForgotPasswordDto, ResetPasswordDto } from './account.dto.js';
import { LoginLimiter } from './login-limiter.js';
import { MailRequestLimiter } from './mail-request-limiter.js';
import { OneTimeTokens } from './one-time-tokens.js';
import { SessionsService, type Session } from './sessions.service.js';
import { idOf, loginOf, normalizeEmail, passwordHashOf, sqlDateTime } from './user-row.js';

export const FORGOT_ANSWER = {
  message: 'If an account exists for this address, a reset link has been sent to it.',
} as const;

const INVALID_RESET = 'Invalid or expired reset token';

/** Forgot (mail a single-use token), reset (with it), change (logged in). */
@Injectable()
export class PasswordService {
  constructor(
    private readonly db: DbClient,
    private readonly tables: AccountTables,
    private readonly oneTime: OneTimeTokens,
    private readonly mail: AccountMail,
    private readonly mailLimits: MailRequestLimiter,
    private readonly loginLimits: LoginLimiter,
    private readonly sessions: SessionsService,
    @Inject(PasswordHasher) private readonly passwords: PasswordHasher,
    @Inject(LogReporter) private readonly logs: LogReporter,
  ) {}

  async forgot(app: AppRuntime, dto: ForgotPasswordDto, client: ClientInfo): Promise<typeof FORGOT_ANSWER> {
    const started = Date.now();
    try {
      await this.tables.ensure(app);
      const email = normalizeEmail(dto.email);
      await this.mailLimits.count(app, 'reset', email, client.ip, started);
      const found = await this.db.queryOne(app.config.name, app.usersSql.byLogin, [
        app.usersSql.login.lookupValue(email),
      ]);
      const row = found === null ? null : app.usersSql.login.readRow(found);
      if (row !== null) {
        const token = newOpaqueToken();
        const now = Date.now();
        await this.oneTime.insert(
          app.config.name,
          'reset',
          String(idOf(app, row)),
          hashOpaqueToken(token),
          now,
          now + app.config.auth.resetTtlS * 1000,
        );
        await this.mail.send(app, 'reset', row, token);
      }
      this.logs.event(app.config.name, 'password_forgot', 'Password reset asked for', {
        email,
        ip: client.ip,
        known_user: row !== null,
      });
      return FORGOT_ANSWER;
    } finally {
      await answerNoSoonerThan(started);
    }
  }

  async reset(app: AppRuntime, dto: ResetPasswordDto): Promise<{ password_reset: true }> {
    await this.tables.ensure(app);
    const name = app.config.name;
    const now = Date.now();
    const token = await this.oneTime.find(name, 'reset', hashOpaqueToken(dto.token), now);
    if (token === null) throw new SogomsError('INVALID_TOKEN', INVALID_RESET);
    const found = await this.db.queryOne(name, app.usersSql.byId, [token.userId]);
    if (found === null) throw new SogomsError('INVALID_TOKEN', INVALID_RESET);
    const row = app.usersSql.login.readRow(found);
    // A refused password keeps the token: the user picks another.
    checkPassword(dto.password, loginOf(app, row), app.config.auth.password);
    const hash = await this.passwords.hash(dto.password);
    if (!(await this.oneTime.use(name, token, now))) throw new SogomsError('INVALID_TOKEN', INVALID_RESET);
    const sql = app.usersSql;
    await this.db.transaction(name, [
      app.config.auth.verifyEmail
        ? { sql: sql.setPasswordVerified, params: [hash, sqlDateTime(now), token.userId], kind: 'write' }
        : { sql: sql.setPassword, params: [hash, token.userId], kind: 'write' },
      this.oneTime.useAllStatement(name, 'reset', token.userId, now),
      this.sessions.revokeAllStatement(app, token.userId, now),
    ]);
    this.logs.event(name, 'password_reset', 'Password reset; every session ended', {
      user_id: row[app.config.auth.idField],
    });
    return { password_reset: true };
  }

  /** Needs the current password (counted like a login's); ends every session and answers a new one. */
  async change(
    app: AppRuntime,
    caller: TokenClaims,
    dto: ChangePasswordDto,
    client: ClientInfo,
  ): Promise<Session> {
    await this.tables.ensure(app);
    const name = app.config.name;
    const now = Date.now();
    const [locks, users] = await this.db.transaction(name, [
      this.loginLimits.locksStatement(app, caller.email ?? caller.sub, client.ip, now),
      { sql: app.usersSql.byId, params: [caller.sub], kind: 'rows' },
    ]);
    this.loginLimits.refuseIfLocked(locks as never[], now);
    const found = (users as Record<string, unknown>[])[0];
    if (found === undefined) throw new SogomsError('UNAUTHORIZED', 'Invalid token');
    const row = app.usersSql.login.readRow(found);
    const login = loginOf(app, row);
    if (!(await this.passwords.verify(dto.current, passwordHashOf(app, row)))) {
      await this.loginLimits.fail(app, caller.email ?? caller.sub, client.ip, now);
      throw new SogomsError('VALIDATION_FAILED', 'Invalid request body', {
        current: ['current is not the current password'],
      });
    }
    checkPassword(dto.new, login, app.config.auth.password, 'new');
    const hash = await this.passwords.hash(dto.new);
    const changed = { ...row, [app.usersSql.passwordField]: hash };
    const pending = this.sessions.start(app, changed, client, now);
    await this.db.transaction(name, [
      { sql: app.usersSql.setPassword, params: [hash, caller.sub], kind: 'write' },
      this.sessions.revokeAllStatement(app, caller.sub, now),
      pending.statement,
    ]);
    this.logs.event(name, 'password_changed', 'Password changed; other sessions ended', {
      user_id: idOf(app, row),
    });
    return pending.session;
  }
}
