import { Injectable } from '@nestjs/common';
import { AdminUsersFile } from '@sogoms/admin-users';
import type { FastifyRequest } from 'fastify';
import { AuditLog } from '../audit/audit-log.js';
import { FormRejected } from '../forms/form-rejected.js';
import { parseForm } from '../forms/form-parser.js';
import { LoginForm, TotpForm } from './login.forms.js';
import { LoginLimiter } from './login-limiter.js';
import { UsedTotpCodes } from './used-totp-codes.js';

/** Where a sign-in step leads: the dashboard, or the second step (TOTP). */
export type LoginOutcome = '/' | '/login/totp';

const WRONG = 'Wrong username or password.';

/**
 * Sign-in: the limiter first (a 429 before any password is checked), then the password, then
 * the TOTP code when the user has one. The session id changes at sign-in (no fixation) and the
 * session is destroyed at sign-out.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly users: AdminUsersFile,
    private readonly limiter: LoginLimiter,
    private readonly audit: AuditLog,
    private readonly usedCodes: UsedTotpCodes,
  ) {}

  async password(request: FastifyRequest, body: unknown): Promise<LoginOutcome> {
    const form = parseForm(LoginForm, body, 'login');
    await this.limiter.check(request, form.username);
    const user = await this.users.verifyPassword(form.username, form.password);
    if (user === null) {
      this.audit.record(request, { action: 'login.failed', username: form.username });
      throw new FormRejected('login', { form: { username: form.username } }, { password: WRONG });
    }
    await request.session.regenerate();
    if (user.totpEnabled) {
      request.session.pendingUsername = user.username;
      return '/login/totp';
    }
    this.signIn(request, user.username);
    return '/';
  }

  async totp(request: FastifyRequest, body: unknown): Promise<LoginOutcome> {
    const username = request.session.pendingUsername;
    if (username === undefined)
      throw new FormRejected('login', {}, { password: 'Sign in with your password first.' });
    const form = parseForm(TotpForm, body, 'login-totp');
    await this.limiter.check(request, username);
    if (this.usedCodes.wasUsed(username, form.code) || !this.users.verifyTotp(username, form.code)) {
      this.audit.record(request, { action: 'login.totp_failed', username });
      throw new FormRejected('login-totp', {}, { code: 'That code is not valid (or has expired).' });
    }
    this.usedCodes.markUsed(username, form.code);
    await request.session.regenerate();
    this.signIn(request, username);
    return '/';
  }

  async logout(request: FastifyRequest): Promise<void> {
    this.audit.record(request, { action: 'logout', username: request.session.username });
    await request.session.destroy();
  }

  private signIn(request: FastifyRequest, username: string): void {
    request.session.username = username;
    request.session.signedInAt = Date.now();
    request.session.ip = request.ip;
    request.session.userAgent = String(request.headers['user-agent'] ?? '').slice(0, 200);
    this.audit.record(request, { action: 'login', username });
  }
}
