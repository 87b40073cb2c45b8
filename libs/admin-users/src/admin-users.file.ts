import { dirname, join } from 'node:path';
import { SogomsError } from '@sogoms/common';
import { ConfigError, readConfigFile, type ConfigScope } from '@sogoms/config';
import { Document, isScalar, isSeq, Scalar, visit } from 'yaml';
import { DEFAULT_APP_ADMIN_PERMISSIONS, parsePermission } from './admin-permission.js';
import { adminPasswordMatches, checkAdminPassword, hashAdminPassword } from './admin-password.js';
import { newTotpSecret, totpCodeMatches, totpUri } from './admin-totp.js';
import { ADMIN_ROLES, ADMIN_USERNAME, type AdminRole, type AdminUser } from './admin-user.js';
import { adminUsersSchema, APP_NAME, type AdminUserRecord } from './admin-users.schema.js';
import { writeFileAtomically } from './atomic-file.writer.js';

/** `{configRoot}/admin_users.yaml`. */
export const adminUsersPath = (configRoot: string): string => join(configRoot, 'admin_users.yaml');

export interface AdminUserInput {
  username: string;
  password: string;
  role: AdminRole;
  /** app_admin only, at least one. */
  apps?: string[];
  /** app_admin only; default `['read', 'write']` (everything on its apps). */
  permissions?: string[];
}

export interface AdminUsersFileOptions {
  /** Milliseconds since the epoch: TOTP steps and `password_changed_at` (tests fake it). */
  now?: () => number;
}

const HEADER = [
  ' SOGOMS admin users: who may log in to the admin web UI (apps/admin).',
  ' Managed by `sogoms admin add|passwd|remove|list|totp`; read again on every login and request,',
  ' so a change applies to a running admin at once. It holds bcrypt hashes and TOTP secrets:',
  ' keep it mode 600 and out of version control.',
].join('\n');

const FILE_MODE = 0o600;
const TOTP_ISSUER = 'SOGOMS';

const validation = (message: string, details?: unknown): SogomsError =>
  new SogomsError('VALIDATION_FAILED', message, details);
const notFound = (username: string): SogomsError =>
  new SogomsError('NOT_FOUND', `no admin user ${JSON.stringify(username)}`, { username });

const toAdminUser = (record: AdminUserRecord): AdminUser => ({
  username: record.username,
  role: record.role,
  apps: [...record.apps],
  permissions: [...record.permissions],
  totpEnabled: record.totpSecret !== null,
  disabled: record.disabled,
  passwordChangedAt: record.passwordChangedAt,
});

const toYaml = (record: AdminUserRecord): Record<string, unknown> => ({
  username: record.username,
  password_hash: record.passwordHash,
  role: record.role,
  ...(record.role === 'app_admin' ? { apps: record.apps, permissions: record.permissions } : {}),
  totp_secret: record.totpSecret,
  disabled: record.disabled,
  password_changed_at: record.passwordChangedAt,
});

/** The checked role, apps and permissions of a new user (the rules the file's schema also holds). */
const accessOf = (input: AdminUserInput): Pick<AdminUserRecord, 'role' | 'apps' | 'permissions'> => {
  if (!(ADMIN_ROLES as readonly string[]).includes(input.role))
    throw validation(`bad role ${JSON.stringify(input.role)}: expected ${ADMIN_ROLES.join(' or ')}`);
  const apps = [...new Set(input.apps ?? [])];
  const permissions = [...new Set(input.permissions ?? [])];
  if (input.role === 'super_admin') {
    if (apps.length > 0 || permissions.length > 0)
      throw validation(
        'a super_admin has every app and permission: give apps and permissions to an app_admin',
      );
    return { role: input.role, apps: [], permissions: [] };
  }
  if (apps.length === 0) throw validation('an app_admin needs at least one app');
  const badApp = apps.find((app) => !APP_NAME.test(app));
  if (badApp !== undefined)
    throw validation(`bad app name ${JSON.stringify(badApp)}: expected [a-z][a-z0-9_-]*`, { app: badApp });
  permissions.forEach(parsePermission);
  return {
    role: input.role,
    apps,
    permissions: permissions.length > 0 ? permissions : [...DEFAULT_APP_ADMIN_PERMISSIONS],
  };
};

const checkUsername = (username: string): void => {
  if (!ADMIN_USERNAME.test(username))
    throw validation(`bad username ${JSON.stringify(username)}: expected [a-z0-9_.-]{2,64}`, { username });
};

/**
 * config/admin_users.yaml: the admin UI's users, shared by the CLI (`sogoms admin …`) and
 * apps/admin. Every call reads the file again (it is small), so a change by one applies to the
 * other at once; every change rewrites it atomically with mode 600. A change reads and writes in
 * one synchronous step (bcrypt runs before it), so two processes can only interleave between
 * whole changes.
 */
export class AdminUsersFile {
  private readonly now: () => number;

  constructor(
    readonly path: string,
    options: AdminUsersFileOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  list(): AdminUser[] {
    return this.read().map(toAdminUser);
  }

  find(username: string): AdminUser | undefined {
    const record = this.read().find((user) => user.username === username);
    return record === undefined ? undefined : toAdminUser(record);
  }

  async add(input: AdminUserInput): Promise<AdminUser> {
    checkUsername(input.username);
    checkAdminPassword(input.password);
    const access = accessOf(input);
    this.refuseTaken(input.username, this.read());
    const passwordHash = await hashAdminPassword(input.password);
    const record: AdminUserRecord = {
      username: input.username,
      passwordHash,
      ...access,
      totpSecret: null,
      disabled: false,
      passwordChangedAt: this.isoNow(),
    };
    // Read again: another process may have added the name while bcrypt ran.
    this.update((users) => {
      this.refuseTaken(input.username, users);
      return [...users, record];
    });
    return toAdminUser(record);
  }

  async setPassword(username: string, password: string): Promise<void> {
    checkAdminPassword(password);
    this.recordOf(username, this.read());
    const passwordHash = await hashAdminPassword(password);
    this.change(username, (user) => ({ ...user, passwordHash, passwordChangedAt: this.isoNow() }));
  }

  remove(username: string): void {
    this.update((users) => {
      this.recordOf(username, users);
      this.keepOneSuperAdmin(username, users, 'removed');
      return users.filter((user) => user.username !== username);
    });
  }

  setDisabled(username: string, disabled: boolean): void {
    this.update((users) => {
      this.recordOf(username, users);
      if (disabled) this.keepOneSuperAdmin(username, users, 'disabled');
      return users.map((user) => (user.username === username ? { ...user, disabled } : user));
    });
  }

  /** A new secret each call (enrolling again replaces the old one); returns it and its otpauth URI. */
  enableTotp(username: string, issuer: string = TOTP_ISSUER): { secret: string; uri: string } {
    const secret = newTotpSecret();
    this.change(username, (user) => ({ ...user, totpSecret: secret }));
    return { secret, uri: totpUri(secret, username, issuer) };
  }

  disableTotp(username: string): void {
    this.change(username, (user) => ({ ...user, totpSecret: null }));
  }

  /** The user when the password is theirs and they are not disabled; null otherwise (same cost either way). */
  async verifyPassword(username: string, password: string): Promise<AdminUser | null> {
    const record = this.read().find((user) => user.username === username);
    const matches = await adminPasswordMatches(password, record?.passwordHash);
    return matches && record !== undefined && !record.disabled ? toAdminUser(record) : null;
  }

  /** Whether `code` is the user's current TOTP code (±1 step of 30 s); false without TOTP or when disabled. */
  verifyTotp(username: string, code: string): boolean {
    const record = this.read().find((user) => user.username === username);
    if (record === undefined || record.disabled || record.totpSecret === null) return false;
    return totpCodeMatches(record.totpSecret, code, this.now());
  }

  private isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  private refuseTaken(username: string, users: readonly AdminUserRecord[]): void {
    if (users.some((user) => user.username === username))
      throw new SogomsError('CONFLICT', `admin user ${JSON.stringify(username)} exists already`, {
        username,
      });
  }

  /** Nobody could manage the admin users any more (but by editing the file): refused. */
  private keepOneSuperAdmin(username: string, users: readonly AdminUserRecord[], what: string): void {
    const active = users.filter((user) => user.role === 'super_admin' && !user.disabled);
    if (active.length === 1 && active[0].username === username)
      throw new SogomsError(
        'CONFLICT',
        `${JSON.stringify(username)} is the last active super_admin and cannot be ${what}: add another super_admin first`,
        { username },
      );
  }

  private recordOf(username: string, users: readonly AdminUserRecord[]): AdminUserRecord {
    const record = users.find((user) => user.username === username);
    if (record === undefined) throw notFound(username);
    return record;
  }

  private change(username: string, edit: (user: AdminUserRecord) => AdminUserRecord): void {
    this.update((users) => {
      this.recordOf(username, users);
      return users.map((user) => (user.username === username ? edit(user) : user));
    });
  }

  private update(edit: (users: AdminUserRecord[]) => AdminUserRecord[]): void {
    this.write(edit(this.read()));
  }

  /** Every user of the file; a missing file has none; a malformed one is a ConfigError (file, line, key). */
  private read(): AdminUserRecord[] {
    const scope: ConfigScope = { root: dirname(this.path), env: {}, problems: [] };
    const { value } = readConfigFile(this.path, adminUsersSchema, scope, { optional: true });
    if (scope.problems.length > 0 || value === undefined) throw new ConfigError(scope.problems);
    return value.users.map((user) => ({
      ...user,
      permissions: user.permissions ?? (user.role === 'app_admin' ? [...DEFAULT_APP_ADMIN_PERMISSIONS] : []),
    }));
  }

  private write(users: readonly AdminUserRecord[]): void {
    const doc = new Document({ users: users.map(toYaml) });
    doc.commentBefore = HEADER;
    visit(doc, {
      Pair(_, pair) {
        if (!isScalar(pair.key)) return;
        // `apps: [shop, blog]` on one line: short lists read better inline.
        if ((pair.key.value === 'apps' || pair.key.value === 'permissions') && isSeq(pair.value))
          pair.value.flow = true;
        // Quoted, so a YAML 1.1 reader (or a hand edit) keeps the time a string.
        if (pair.key.value === 'password_changed_at' && isScalar(pair.value) && pair.value.value !== null)
          pair.value.type = Scalar.QUOTE_SINGLE;
      },
      Seq(_, seq) {
        // `'cron:*'`: plain would do in YAML 1.2, quoted reads unambiguously to a person.
        for (const item of seq.items)
          if (isScalar(item) && typeof item.value === 'string' && item.value.includes(':'))
            item.type = Scalar.QUOTE_SINGLE;
      },
    });
    writeFileAtomically(this.path, doc.toString(), FILE_MODE);
  }
}
