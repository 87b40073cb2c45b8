import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { hashOpaqueToken, newOpaqueToken, TokenService, type TokenClaims } from '@sogoms/auth';
import { SogomsError } from '@sogoms/common';
import { LogReporter, type Row, type TransactionStatement } from '@sogoms/ipc';
import { DbClient } from '../ipc/db.client.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { AccountTables } from './account-tables.js';
import type { ClientInfo } from './client-info.decorator.js';
import { SessionStore, type NewRefreshToken } from './session-store.js';
import {
  idOf,
  isDisabled,
  loginOf,
  passwordMarkOf,
  publicUser,
  roleOf,
  type PublicUser,
} from './user-row.js';

/** What login, refresh, a password change and register answer: both tokens and the user. */
export interface Session {
  token: string;
  refresh_token: string;
  /** Seconds the access token lives (`auth.jwt_expires_in`). */
  expires_in: number;
  user: PublicUser;
  [extra: string]: unknown;
}

/** One live session as `GET /auth/sessions` lists it. */
export interface SessionInfo {
  id: string;
  current: boolean;
  created_at: string;
  last_used_at: string;
  expires_at: string;
  user_agent: string | null;
  ip: string | null;
}

const INVALID_REFRESH = 'Invalid refresh token';
const USER_AGENT_MAX = 255;

/** A session's first token: the statement to store it and the answer to give once it is stored. */
export interface PendingSession {
  statement: TransactionStatement;
  session: Promise<Session>;
}

/**
 * Sessions: a family of opaque refresh tokens (only their hashes stored), each refresh retiring
 * the one used and issuing the next. A retired token presented again means a copy exists
 * somewhere: the whole family is revoked. Access tokens stay stateless JWTs (no database read on
 * an ordinary request) carrying the family as `sid`; revoking a session stops its refreshes, and
 * its access token ends at its expiry (`auth.jwt_expires_in`, 15m for new apps).
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly db: DbClient,
    private readonly tables: AccountTables,
    private readonly store: SessionStore,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(LogReporter) private readonly logs: LogReporter,
  ) {}

  /**
   * A new session for `row`: the caller runs `statement` in its own transaction (with the login's
   * other writes) and then answers `session`. The tables must exist (`tables.ensure`).
   */
  start(app: AppRuntime, row: Row, client: ClientInfo, now: number): PendingSession {
    const family = randomBytes(16).toString('hex');
    const refresh = newOpaqueToken();
    const statement = this.store.insertStatement(
      this.newToken(app, row, client, family, now, now, hashOpaqueToken(refresh)),
    );
    return { statement, session: this.answer(app, row, family, refresh) };
  }

  /** Starts a session on its own (register). */
  async open(app: AppRuntime, row: Row, client: ClientInfo, now: number): Promise<Session> {
    await this.tables.ensure(app);
    const pending = this.start(app, row, client, now);
    await this.db.transaction(app.config.name, [pending.statement]);
    return pending.session;
  }

  async refresh(app: AppRuntime, refreshToken: string, client: ClientInfo, now: number): Promise<Session> {
    await this.tables.ensure(app);
    const name = app.config.name;
    const current = await this.store.byHash(name, hashOpaqueToken(refreshToken));
    if (current === null || current.revoked) throw new SogomsError('UNAUTHORIZED', INVALID_REFRESH);
    if (current.retired) {
      await this.store.revokeFamily(name, current.family, now);
      this.logs.event(name, 'refresh_reuse', 'A retired refresh token was used again: session revoked', {
        user_id: current.userId,
        session: current.family,
        ip: client.ip,
      });
      throw new SogomsError('UNAUTHORIZED', INVALID_REFRESH);
    }
    if (current.expiresAt <= now) throw new SogomsError('UNAUTHORIZED', 'Refresh token expired');
    const found = await this.db.queryOne(name, app.usersSql.byId, [current.userId]);
    const row = found === null ? null : app.usersSql.login.readRow(found);
    // Deleted, disabled, or a password changed since the session began: the session is over.
    if (row === null || isDisabled(app, row) || passwordMarkOf(app, row) !== current.passwordMark) {
      await this.store.revokeFamily(name, current.family, now);
      throw new SogomsError('UNAUTHORIZED', INVALID_REFRESH);
    }
    const next = newOpaqueToken();
    const rotated = await this.store.rotate(
      current,
      this.newToken(app, row, client, current.family, current.familyCreatedAt, now, hashOpaqueToken(next)),
    );
    if (!rotated) {
      // Another request used this token a moment ago: two holders of one token.
      await this.store.revokeFamily(name, current.family, now);
      throw new SogomsError('UNAUTHORIZED', INVALID_REFRESH);
    }
    return this.answer(app, row, current.family, next);
  }

  /** Ends the session of the access token (a token without one ends nothing). */
  async logout(app: AppRuntime, caller: TokenClaims, now: number): Promise<{ sessions_ended: number }> {
    if (caller.sid === undefined) return { sessions_ended: 0 };
    await this.tables.ensure(app);
    const ended = await this.store.revokeUserFamily(app.config.name, caller.sub, caller.sid, now);
    return { sessions_ended: ended > 0 ? 1 : 0 };
  }

  async logoutAll(app: AppRuntime, caller: TokenClaims, now: number): Promise<{ sessions_ended: number }> {
    await this.tables.ensure(app);
    const live = await this.store.live(app.config.name, caller.sub, now);
    await this.store.revokeUser(app.config.name, caller.sub, now);
    return { sessions_ended: live.length };
  }

  async list(app: AppRuntime, caller: TokenClaims, now: number): Promise<{ sessions: SessionInfo[] }> {
    await this.tables.ensure(app);
    const live = await this.store.live(app.config.name, caller.sub, now);
    return {
      sessions: live.map((s) => ({
        id: s.family,
        current: s.family === caller.sid,
        created_at: new Date(s.startedAt).toISOString(),
        last_used_at: new Date(s.lastUsedAt).toISOString(),
        expires_at: new Date(s.expiresAt).toISOString(),
        user_agent: s.userAgent,
        ip: s.ip,
      })),
    };
  }

  async end(app: AppRuntime, caller: TokenClaims, id: string, now: number): Promise<{ id: string }> {
    await this.tables.ensure(app);
    const live = await this.store.live(app.config.name, caller.sub, now);
    // Another user's session answers like a missing one.
    if (!live.some((s) => s.family === id)) throw new SogomsError('NOT_FOUND', 'No such session');
    await this.store.revokeUserFamily(app.config.name, caller.sub, id, now);
    return { id };
  }

  /** Ends every session of a user (reset, change): the statement joins the caller's transaction. */
  revokeAllStatement(app: AppRuntime, userId: string, now: number): TransactionStatement {
    return this.store.revokeUserStatement(app.config.name, userId, now);
  }

  private newToken(
    app: AppRuntime,
    row: Row,
    client: ClientInfo,
    family: string,
    familyCreatedAt: number,
    now: number,
    tokenHash: string,
  ): NewRefreshToken {
    return {
      app: app.config.name,
      userId: String(idOf(app, row)),
      family,
      tokenHash,
      passwordMark: passwordMarkOf(app, row),
      familyCreatedAt,
      now,
      expiresAt: now + app.config.auth.refreshTtlS * 1000,
      userAgent: client.userAgent === null ? null : client.userAgent.slice(0, USER_AGENT_MAX),
      ip: client.ip,
    };
  }

  private async answer(app: AppRuntime, row: Row, family: string, refresh: string): Promise<Session> {
    const token = await this.tokens.sign(app.tokenKey, {
      sub: String(idOf(app, row)),
      role: roleOf(app, row),
      email: loginOf(app, row),
      sid: family,
    });
    return {
      token,
      refresh_token: refresh,
      expires_in: app.config.auth.jwtExpiresInS,
      user: publicUser(app, row),
    };
  }
}
