import { Inject, Injectable } from '@nestjs/common';
import { PasswordHasher, TokenService, DEFAULT_ROLE, checkPassword, type TokenClaims } from '@sogoms/auth';
import { SogomsError } from '@sogoms/common';
import { LogReporter, type Row } from '@sogoms/ipc';
import { DbClient } from '../ipc/db.client.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { ScenarioRunner } from '../scenarios/scenario-runner.js';
import type { LoginDto, RegisterDto } from './credentials.dto.js';
import { WelcomeMail } from './welcome-mail.js';

export type PublicUser = Record<string, unknown>;

export interface Session {
  token: string;
  user: PublicUser;
  [extra: string]: unknown;
}

/** The scenario that enriches a login's answer, when the app has one. */
const LOGIN_SCENARIO = 'auth/login';
const INVALID_CREDENTIALS = 'Invalid email or password';

@Injectable()
export class AuthService {
  constructor(
    private readonly db: DbClient,
    private readonly scenarios: ScenarioRunner,
    @Inject(PasswordHasher) private readonly passwords: PasswordHasher,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(LogReporter) private readonly logs: LogReporter,
    private readonly welcome: WelcomeMail,
  ) {}

  async register(app: AppRuntime, dto: RegisterDto): Promise<Session> {
    const email = normalizeEmail(dto.email);
    checkPassword(dto.password, email, app.config.auth.minPasswordLength);
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
    return { token: await this.sign(app, row), user: this.publicUser(app, row) };
  }

  async login(app: AppRuntime, dto: LoginDto, ip: string): Promise<Session> {
    const email = normalizeEmail(dto.email);
    const found = await this.db.queryOne(app.config.name, app.usersSql.byLogin, [
      app.usersSql.login.lookupValue(email),
    ]);
    const row = found === null ? null : app.usersSql.login.readRow(found);
    const hash = row?.[app.usersSql.passwordField];
    const valid = await this.passwords.verify(dto.password, typeof hash === 'string' ? hash : null);
    if (row === null || !valid) {
      this.logs.event(app.config.name, 'login_failed', 'Failed login', {
        email,
        ip,
        known_user: row !== null,
      });
      throw new SogomsError('UNAUTHORIZED', INVALID_CREDENTIALS);
    }
    const token = await this.sign(app, row);
    const user = this.publicUser(app, row);
    const scenario = app.scenarios.get(LOGIN_SCENARIO);
    if (scenario === undefined) return { token, user };
    const extra = await this.scenarios.run(app.config.name, scenario, {
      user_id: idOf(app, row),
      role: roleOf(app, row),
      email,
      app: app.config.name,
    });
    // Step names cannot be token or user (the scenario loader refuses them).
    return { token, user, ...extra };
  }

  async me(app: AppRuntime, claims: TokenClaims): Promise<{ user: PublicUser }> {
    const found = await this.db.queryOne(app.config.name, app.usersSql.byId, [claims.sub]);
    const row = found === null ? null : app.usersSql.login.readRow(found);
    // A valid token of a deleted user is no longer a session.
    if (row === null) throw new SogomsError('UNAUTHORIZED', 'Invalid token');
    return { user: this.publicUser(app, row) };
  }

  private sign(app: AppRuntime, row: Row): Promise<string> {
    return this.tokens.sign(app.tokenKey, {
      sub: String(idOf(app, row)),
      role: roleOf(app, row),
      email: String(row[app.config.auth.loginField]),
    });
  }

  /** The user as the API shows it: never the password hash. */
  private publicUser(app: AppRuntime, row: Row): PublicUser {
    const { [app.usersSql.passwordField]: _hash, ...user } = row;
    return user;
  }
}

const normalizeEmail = (email: string): string => email.trim().toLowerCase();

const idOf = (app: AppRuntime, row: Row): string | number => {
  const id = row[app.config.auth.idField];
  if (typeof id !== 'number' && typeof id !== 'string')
    throw new SogomsError('INTERNAL', 'User row has no id');
  return id;
};

const roleOf = (app: AppRuntime, row: Row): string => {
  const field = app.usersSql.roleField;
  const role = field === null ? undefined : row[field];
  return typeof role === 'string' && role !== '' ? role : DEFAULT_ROLE;
};
