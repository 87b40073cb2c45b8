import { Inject, Injectable } from '@nestjs/common';
import { PasswordHasher, checkPassword, type TokenClaims } from '@sogoms/auth';
import { SogomsError } from '@sogoms/common';
import { LogReporter, type Row } from '@sogoms/ipc';
import { DbClient } from '../ipc/db.client.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { ScenarioRunner } from '../scenarios/scenario-runner.js';
import { AccountTables } from './account-tables.js';
import type { ClientInfo } from './client-info.decorator.js';
import type { LoginDto, RegisterDto } from './credentials.dto.js';
import { EmailVerificationService } from './email-verification.service.js';
import { LoginLimiter } from './login-limiter.js';
import { SessionsService, type Session } from './sessions.service.js';
import {
  idOf,
  isDisabled,
  isVerified,
  normalizeEmail,
  passwordHashOf,
  publicUser,
  roleOf,
  type PublicUser,
} from './user-row.js';
import { WelcomeMail } from './welcome-mail.js';

/** Register's answer when the app verifies emails first: no session until the link is used. */
export interface PendingVerification {
  user: PublicUser;
  verification_required: true;
}

/** The scenario that enriches a login's answer, when the app has one. */
const LOGIN_SCENARIO = 'auth/login';
const INVALID_CREDENTIALS = 'Invalid email or password';

@Injectable()
export class AuthService {
  constructor(
    private readonly db: DbClient,
    private readonly tables: AccountTables,
    private readonly scenarios: ScenarioRunner,
    private readonly sessions: SessionsService,
    private readonly limiter: LoginLimiter,
    private readonly verification: EmailVerificationService,
    @Inject(PasswordHasher) private readonly passwords: PasswordHasher,
    @Inject(LogReporter) private readonly logs: LogReporter,
    private readonly welcome: WelcomeMail,
  ) {}

  async register(
    app: AppRuntime,
    dto: RegisterDto,
    client: ClientInfo,
  ): Promise<Session | PendingVerification> {
    const email = normalizeEmail(dto.email);
    checkPassword(dto.password, email, app.config.auth.password);
    const hash = await this.passwords.hash(dto.password);
    const sql = app.usersSql;
    const insert =
      dto.name === undefined
        ? { sql: sql.insert, params: [...sql.login.values(email), hash], kind: 'write' as const }
        : {
            sql: sql.insertWithName,
            params: [...sql.login.values(email), hash, dto.name],
            kind: 'write' as const,
          };
    let results;
    try {
      results = await this.db.transaction(app.config.name, [insert, { sql: sql.justInserted, kind: 'rows' }]);
    } catch (error) {
      if (error instanceof SogomsError && error.code === 'CONFLICT') {
        throw new SogomsError('CONFLICT', 'An account with this email already exists', {
          email: ['already registered'],
        });
      }
      throw error;
    }
    const inserted = (results[1] as Row[])[0];
    const row = inserted === undefined ? undefined : sql.login.readRow(inserted);
    if (row === undefined) throw new SogomsError('INTERNAL', 'Registered user could not be read back');
    this.logs.event(app.config.name, 'user_registered', 'User registered', {
      user_id: row[app.config.auth.idField],
    });
    this.welcome.queue(app, row[app.config.auth.idField], email, dto.name);
    if (app.config.auth.verifyEmail) {
      await this.verification.sendLink(app, row);
      return { user: publicUser(app, row), verification_required: true };
    }
    return this.sessions.open(app, row, client, Date.now());
  }

  /**
   * One round trip reads the account's and the IP's locks with the user; a lock answers 429
   * before the password is even compared. A failure counts for both; a success clears the
   * account's counter and stores the new session in one transaction.
   */
  async login(app: AppRuntime, dto: LoginDto, client: ClientInfo): Promise<Session> {
    await this.tables.ensure(app);
    const email = normalizeEmail(dto.email);
    const name = app.config.name;
    const now = Date.now();
    const [locks, users] = await this.db.transaction(name, [
      this.limiter.locksStatement(app, email, client.ip, now),
      { sql: app.usersSql.byLogin, params: [app.usersSql.login.lookupValue(email)], kind: 'rows' },
    ]);
    this.limiter.refuseIfLocked(locks as Row[], now);
    const found = (users as Row[])[0] ?? null;
    const row = found === null ? null : app.usersSql.login.readRow(found);
    const valid = await this.passwords.verify(dto.password, row === null ? null : passwordHashOf(app, row));
    if (row === null || !valid) {
      this.logs.event(name, 'login_failed', 'Failed login', {
        email,
        ip: client.ip,
        known_user: row !== null,
      });
      await this.limiter.fail(app, email, client.ip, now);
      throw new SogomsError('UNAUTHORIZED', INVALID_CREDENTIALS);
    }
    // Only a caller who knows the password learns these.
    if (isDisabled(app, row)) throw new SogomsError('FORBIDDEN', 'This account is disabled');
    if (app.config.auth.verifyEmail && !isVerified(app, row))
      throw new SogomsError('EMAIL_NOT_VERIFIED', 'Verify your email address first: see the mail we sent');
    const pending = this.sessions.start(app, row, client, now);
    await this.db.transaction(name, [this.limiter.successStatement(app, email), pending.statement]);
    const session = await pending.session;
    const scenario = app.scenarios.get(LOGIN_SCENARIO);
    if (scenario === undefined) return session;
    const extra = await this.scenarios.run(name, scenario, {
      user_id: idOf(app, row),
      role: roleOf(app, row),
      email,
      app: name,
    });
    // Step names cannot be token, refresh_token, expires_in or user (the scenario loader refuses them).
    return { ...session, ...extra };
  }

  async me(app: AppRuntime, claims: TokenClaims): Promise<{ user: PublicUser }> {
    const found = await this.db.queryOne(app.config.name, app.usersSql.byId, [claims.sub]);
    const row = found === null ? null : app.usersSql.login.readRow(found);
    // A valid token of a deleted user is no longer a session.
    if (row === null) throw new SogomsError('UNAUTHORIZED', 'Invalid token');
    return { user: publicUser(app, row) };
  }
}
