import { Injectable } from '@nestjs/common';
import { PasswordHasher } from '@sogoms/auth';
import { SogomsError } from '@sogoms/common';
import type { AppConfig } from '@sogoms/config';
import type { Row, SqlValue } from '@sogoms/ipc';
import { loadSchemaFile, quoteIdentifier } from '@sogoms/schema';
import { IsEmail, IsIn, IsOptional, Length } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { AdminSettings } from '../admin-settings.js';
import { AuditLog } from '../audit/audit-log.js';
import { parseForm } from '../forms/form-parser.js';
import { AppDatabase } from './app-database.js';
import { appLoginColumnOf, type AppLoginColumn } from './app-login-column.js';

const PAGE = 50;

export class AppUserForm {
  @IsEmail({}, { message: 'An email address.' })
  login = '';

  @Length(8, 200, { message: 'At least 8 characters.' })
  password = '';

  @IsOptional()
  @IsIn(['default', 'admin'], { message: 'default or admin.' })
  role = 'default';
}

export interface AppUsersView {
  app: AppConfig;
  users: { id: unknown; login: unknown; role: unknown; disabled: boolean }[];
  search: string;
  canDisable: boolean;
  hasRole: boolean;
  encryptedLogin: boolean;
}

/**
 * The app's own users (its `auth.users_table`), through the db service: list, search, create,
 * set role, disable. Columns come from app.yaml's auth section, always quoted.
 */
@Injectable()
export class AppUsersService {
  private readonly hasher = new PasswordHasher();

  constructor(
    private readonly db: AppDatabase,
    private readonly audit: AuditLog,
    private readonly settings: AdminSettings,
  ) {}

  /** Read each time: schema.yaml and the keys may change at any reload. */
  private loginColumn(app: AppConfig): AppLoginColumn {
    return appLoginColumnOf(app, loadSchemaFile(app.dir, this.settings.displayRoot));
  }

  async view(app: AppConfig, query: Record<string, unknown>): Promise<AppUsersView> {
    const auth = app.auth;
    const q = quoteIdentifier;
    const search = typeof query.q === 'string' ? query.q.trim().slice(0, 100) : '';
    const columns = [
      `${q(auth.idField)} AS id`,
      `${q(auth.loginField)} AS login`,
      auth.roleField === null ? `'default' AS role` : `${q(auth.roleField)} AS role`,
      auth.disabledField === null ? '0 AS disabled' : `${q(auth.disabledField)} AS disabled`,
    ];
    const login = this.loginColumn(app);
    const params: SqlValue[] = [];
    let where = '';
    if (search !== '') {
      const condition = login.search(search);
      where = ` WHERE ${condition.sql}`;
      params.push(...condition.params);
    }
    const rows = await this.db.query(
      app.name,
      `SELECT ${columns.join(', ')} FROM ${q(auth.usersTable)}${where} ORDER BY ${q(auth.idField)} LIMIT ${PAGE}`,
      params,
    );
    return {
      app,
      users: rows.map((row: Row) => ({
        id: row.id,
        login: login.shown(row.login),
        role: row.role,
        disabled: Boolean(Number(row.disabled)),
      })),
      search,
      canDisable: auth.disabledField !== null,
      hasRole: auth.roleField !== null,
      encryptedLogin: login.encrypted,
    };
  }

  async create(request: FastifyRequest, app: AppConfig, body: unknown): Promise<string> {
    const form = parseForm(AppUserForm, body, 'app-users', { ...(await this.view(app, {})) });
    const auth = app.auth;
    const q = quoteIdentifier;
    const login = this.loginColumn(app).written(form.login);
    const columns = [...login.columns, q(auth.passwordField)];
    const values: SqlValue[] = [...login.values, await this.hasher.hash(form.password)];
    if (auth.roleField !== null) {
      columns.push(q(auth.roleField));
      values.push(form.role);
    }
    await this.db.query(
      app.name,
      `INSERT INTO ${q(auth.usersTable)} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      values,
    );
    this.audit.record(request, {
      action: 'user.create',
      app: app.name,
      after: { login: form.login, role: form.role },
    });
    return `/apps/${app.name}/users?notice=${encodeURIComponent(`created ${form.login}`)}`;
  }

  async setRole(request: FastifyRequest, app: AppConfig, id: string, role: unknown): Promise<string> {
    const auth = app.auth;
    if (auth.roleField === null)
      throw new SogomsError('BAD_REQUEST', `App '${app.name}' has no role column (auth.role_field).`);
    if (role !== 'default' && role !== 'admin')
      throw new SogomsError('VALIDATION_FAILED', 'The role is default or admin.');
    const before = await this.one(app, id);
    await this.db.query(
      app.name,
      `UPDATE ${quoteIdentifier(auth.usersTable)} SET ${quoteIdentifier(auth.roleField)} = ? WHERE ${quoteIdentifier(auth.idField)} = ?`,
      [role, id],
    );
    this.audit.record(request, {
      action: 'user.role',
      app: app.name,
      before: { id, role: before.role },
      after: { id, role },
    });
    return `/apps/${app.name}/users?notice=${encodeURIComponent(`role of ${String(before.login)}: ${role}`)}`;
  }

  async setDisabled(request: FastifyRequest, app: AppConfig, id: string, disabled: boolean): Promise<string> {
    const auth = app.auth;
    if (auth.disabledField === null)
      throw new SogomsError(
        'BAD_REQUEST',
        `App '${app.name}' has no disabled column (auth.disabled_field in app.yaml).`,
      );
    const before = await this.one(app, id);
    await this.db.query(
      app.name,
      `UPDATE ${quoteIdentifier(auth.usersTable)} SET ${quoteIdentifier(auth.disabledField)} = ? WHERE ${quoteIdentifier(auth.idField)} = ?`,
      [disabled ? 1 : 0, id],
    );
    this.audit.record(request, {
      action: disabled ? 'user.disable' : 'user.enable',
      app: app.name,
      before: { id },
      after: { id, disabled },
    });
    return `/apps/${app.name}/users?notice=${encodeURIComponent(`${String(before.login)} ${disabled ? 'disabled' : 'enabled'}`)}`;
  }

  private async one(app: AppConfig, id: string): Promise<Row> {
    const auth = app.auth;
    const rows = await this.db.query(
      app.name,
      `SELECT ${quoteIdentifier(auth.loginField)} AS login${auth.roleField === null ? '' : `, ${quoteIdentifier(auth.roleField)} AS role`} FROM ${quoteIdentifier(auth.usersTable)} WHERE ${quoteIdentifier(auth.idField)} = ?`,
      [id],
    );
    if (rows.length === 0) throw new SogomsError('NOT_FOUND', `No user ${id} in app '${app.name}'.`);
    return { ...rows[0], login: this.loginColumn(app).shown(rows[0].login) };
  }
}
