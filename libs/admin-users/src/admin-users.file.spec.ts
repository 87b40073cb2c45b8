import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { SogomsError } from '@sogoms/common';
import { ConfigError } from '@sogoms/config';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import bcrypt from 'bcrypt';
import { Secret, TOTP } from 'otpauth';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { AdminUsersFile, adminUsersPath } from './admin-users.file.js';

const PASSWORD = 'a long passphrase';
const START = Date.parse('2026-12-03T10:00:00.000Z');
/** RFC 6238 appendix B: the ASCII secret "12345678901234567890" (SHA-1), here in base32. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

/** What `fn` threw (it must throw). */
const thrown = async (fn: () => unknown): Promise<SogomsError> => {
  try {
    await fn();
  } catch (error) {
    return error as SogomsError;
  }
  throw new Error('expected a throw');
};

describe('AdminUsersFile (config/admin_users.yaml, real bcrypt and files)', () => {
  let fixture: ConfigFixture;
  let path: string;
  let clock: number;
  let file: AdminUsersFile;
  const fileText = (): string => readFileSync(path, 'utf8');

  beforeEach(() => {
    fixture = createConfigFixture();
    path = adminUsersPath(fixture.root);
    clock = START;
    file = new AdminUsersFile(path, { now: () => clock });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    fixture.remove();
  });

  it('is {configRoot}/admin_users.yaml; a missing file has no users', async () => {
    expect(path).toBe(`${fixture.root}/admin_users.yaml`);
    expect(file.list()).toEqual([]);
    expect(file.find('alice')).toBeUndefined();
    expect(file.verifyTotp('alice', '123456')).toBe(false);
    // An unknown user still costs one bcrypt comparison (no enumeration by timing).
    const compare = vi.spyOn(bcrypt, 'compare');
    expect(await file.verifyPassword('alice', PASSWORD)).toBeNull();
    expect(compare).toHaveBeenCalledTimes(1);
  });

  it('adds a super_admin and an app_admin: mode 600, cost 12, the documented shape, read by a second instance', async () => {
    const alice = await file.add({ username: 'alice', password: PASSWORD, role: 'super_admin' });
    expect(alice).toEqual({
      username: 'alice',
      role: 'super_admin',
      apps: [],
      permissions: [],
      totpEnabled: false,
      disabled: false,
      passwordChangedAt: '2026-12-03T10:00:00.000Z',
    });
    clock += 1000;
    const bob = await file.add({
      username: 'bob',
      password: 'another passphrase',
      role: 'app_admin',
      apps: ['shop', 'blog', 'shop'],
      permissions: ['schema:read', 'cron:*'],
    });
    expect(bob).toMatchObject({ apps: ['shop', 'blog'], permissions: ['schema:read', 'cron:*'] });

    expect(statSync(path).mode & 0o777).toBe(0o600);
    // The temp file was renamed, not left beside it.
    expect(readdirSync(fixture.root).filter((name) => name.includes('admin_users'))).toEqual([
      'admin_users.yaml',
    ]);
    const text = fileText();
    expect(text).toMatch(/^# SOGOMS admin users: .*\n# Managed by `sogoms admin /);
    expect(text).toContain("    apps: [ shop, blog ]\n    permissions: [ 'schema:read', 'cron:*' ]\n");
    const stored = (parse(text) as { users: Record<string, unknown>[] }).users;
    expect(stored[0]).toEqual({
      username: 'alice',
      password_hash: expect.stringMatching(/^\$2b\$12\$[./A-Za-z0-9]{53}$/),
      role: 'super_admin',
      totp_secret: null,
      disabled: false,
      password_changed_at: '2026-12-03T10:00:00.000Z',
    });
    expect(stored[1]).toMatchObject({
      apps: ['shop', 'blog'],
      password_changed_at: '2026-12-03T10:00:01.000Z',
    });
    expect(text).not.toContain(PASSWORD);

    const other = new AdminUsersFile(path);
    expect(other.list()).toEqual([alice, bob]);
    expect(other.find('bob')).toEqual(bob);
  });

  it('gives an app_admin read and write on its apps when no permissions are given', async () => {
    const carol = await file.add({
      username: 'carol',
      password: PASSWORD,
      role: 'app_admin',
      apps: ['shop'],
    });
    expect(carol.permissions).toEqual(['read', 'write']);
  });

  it('verifies the password; wrong, unknown and disabled give null', async () => {
    await file.add({ username: 'alice', password: PASSWORD, role: 'super_admin' });
    expect(await file.verifyPassword('alice', PASSWORD)).toMatchObject({
      username: 'alice',
      role: 'super_admin',
    });
    expect(await file.verifyPassword('alice', `${PASSWORD}!`)).toBeNull();
    expect(await file.verifyPassword('Alice', PASSWORD)).toBeNull();
    await file.add({ username: 'carol', password: PASSWORD, role: 'super_admin' });
    file.setDisabled('alice', true);
    expect(file.find('alice')?.disabled).toBe(true);
    expect(await file.verifyPassword('alice', PASSWORD)).toBeNull();
    file.setDisabled('alice', false);
    expect(await file.verifyPassword('alice', PASSWORD)).not.toBeNull();
  });

  it.each([
    [{ username: 'a' }, 'bad username "a": expected [a-z0-9_.-]{2,64}'],
    [{ username: 'Alice' }, 'bad username "Alice"'],
    [{ username: 'al ice' }, 'bad username "al ice"'],
    [{ username: 'x'.repeat(65) }, 'bad username'],
    [{ password: '123456789' }, 'password too short: at least 10 characters, got 9'],
    [{ password: 'é'.repeat(37) }, 'password too long: at most 72 bytes'],
    [{ role: 'root' }, 'bad role "root": expected super_admin or app_admin'],
    [{ apps: ['shop'] }, 'a super_admin has every app and permission'],
    [{ role: 'app_admin' }, 'an app_admin needs at least one app'],
    [{ role: 'app_admin', apps: ['Shop'] }, 'bad app name "Shop"'],
    [
      { role: 'app_admin', apps: ['shop'], permissions: ['schema:read', 'schema:admin'] },
      'bad permission "schema:admin"',
    ],
  ])('refuses %j with VALIDATION_FAILED and writes nothing', async (override, message) => {
    const error = await thrown(() =>
      file.add({ username: 'alice', password: PASSWORD, role: 'super_admin', ...override } as never),
    );
    expect(error).toBeInstanceOf(SogomsError);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain(message);
    expect(file.list()).toEqual([]);
  });

  it('refuses a taken username (CONFLICT) and an unknown one (NOT_FOUND)', async () => {
    await file.add({ username: 'alice', password: PASSWORD, role: 'super_admin' });
    const conflict = await thrown(() =>
      file.add({ username: 'alice', password: PASSWORD, role: 'super_admin' }),
    );
    expect([conflict.code, conflict.message]).toEqual(['CONFLICT', 'admin user "alice" exists already']);
    for (const attempt of [
      () => file.setPassword('zed', PASSWORD),
      () => file.remove('zed'),
      () => file.setDisabled('zed', true),
      () => file.enableTotp('zed'),
      () => file.disableTotp('zed'),
    ]) {
      const error = await thrown(attempt);
      expect([error.code, error.message]).toEqual(['NOT_FOUND', 'no admin user "zed"']);
    }
    expect(file.list().map((user) => user.username)).toEqual(['alice']);
  });

  it('setPassword replaces the hash and records when', async () => {
    await file.add({ username: 'alice', password: PASSWORD, role: 'super_admin' });
    clock = Date.parse('2026-12-04T08:30:00.000Z');
    await file.setPassword('alice', 'a different passphrase');
    expect(await file.verifyPassword('alice', PASSWORD)).toBeNull();
    expect(await file.verifyPassword('alice', 'a different passphrase')).toMatchObject({
      passwordChangedAt: '2026-12-04T08:30:00.000Z',
    });
    expect((await thrown(() => file.setPassword('alice', 'short'))).code).toBe('VALIDATION_FAILED');
  });

  it('removes one user and keeps the others', async () => {
    await file.add({ username: 'alice', password: PASSWORD, role: 'super_admin' });
    await file.add({ username: 'bob', password: PASSWORD, role: 'app_admin', apps: ['shop'] });
    await file.add({ username: 'carol', password: PASSWORD, role: 'super_admin' });
    file.remove('alice');
    expect(file.list().map((user) => user.username)).toEqual(['bob', 'carol']);
  });

  it('keeps one active super_admin: the last can be neither removed nor disabled', async () => {
    await file.add({ username: 'alice', password: PASSWORD, role: 'super_admin' });
    await file.add({ username: 'bob', password: PASSWORD, role: 'app_admin', apps: ['shop'] });
    const removed = await thrown(() => file.remove('alice'));
    expect(removed.code).toBe('CONFLICT');
    expect(removed.message).toMatch(/last active super_admin/);
    expect((await thrown(() => file.setDisabled('alice', true))).code).toBe('CONFLICT');
    await file.add({ username: 'carol', password: PASSWORD, role: 'super_admin' });
    file.setDisabled('carol', true);
    // carol is disabled: alice is still the last active one.
    expect((await thrown(() => file.remove('alice'))).code).toBe('CONFLICT');
    file.setDisabled('carol', false);
    file.setDisabled('alice', true);
    file.remove('alice');
    file.remove('bob');
    expect(file.list().map((user) => user.username)).toEqual(['carol']);
  });

  describe('TOTP', () => {
    beforeEach(async () => {
      await file.add({ username: 'alice', password: PASSWORD, role: 'super_admin' });
    });

    it('enableTotp stores a new base32 secret and returns its otpauth URI (issuer SOGOMS)', () => {
      const { secret, uri } = file.enableTotp('alice');
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(uri).toBe(
        `otpauth://totp/SOGOMS:alice?issuer=SOGOMS&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
      );
      expect(file.find('alice')?.totpEnabled).toBe(true);
      expect(fileText()).toContain(`totp_secret: ${secret}`);
      expect(file.enableTotp('alice', 'Acme').uri).toMatch(/^otpauth:\/\/totp\/Acme:alice\?issuer=Acme&/);
      expect(file.enableTotp('alice').secret).not.toBe(secret);

      // An authenticator app with that secret: its code now is accepted.
      const { secret: current } = file.enableTotp('alice');
      const app = new TOTP({ secret: Secret.fromBase32(current) });
      expect(file.verifyTotp('alice', app.generate({ timestamp: clock }))).toBe(true);
    });

    it('accepts the RFC 6238 codes within one 30 s step either side, and nothing else', async () => {
      file.enableTotp('alice');
      writeFileSync(path, fileText().replace(/totp_secret: \S+/, `totp_secret: ${RFC_SECRET}`));
      // RFC 6238 appendix B, SHA-1, last six of the eight digits.
      clock = 59_000;
      expect(file.verifyTotp('alice', '287082')).toBe(true);
      expect(file.verifyTotp('alice', '287 082')).toBe(true);
      clock = 1_111_111_109_000;
      expect(file.verifyTotp('alice', '081804')).toBe(true);
      // 1111111111 s is the next step: still in the window.
      expect(file.verifyTotp('alice', '050471')).toBe(true);
      expect(file.verifyTotp('alice', '005924')).toBe(false);
      const rfc = new TOTP({ secret: Secret.fromBase32(RFC_SECRET) });
      for (const [offset, accepted] of [
        [-30_000, true],
        [30_000, true],
        [-60_000, false],
        [60_000, false],
      ] as const)
        expect(file.verifyTotp('alice', rfc.generate({ timestamp: clock + offset }))).toBe(accepted);
      for (const bad of ['', '08180', '0818044', 'abcdef']) expect(file.verifyTotp('alice', bad)).toBe(false);
      expect(file.verifyTotp('bob', '081804')).toBe(false);

      await file.add({ username: 'carol', password: PASSWORD, role: 'super_admin' });
      file.setDisabled('alice', true);
      expect(file.verifyTotp('alice', '081804')).toBe(false);
      file.setDisabled('alice', false);
      file.disableTotp('alice');
      expect(file.find('alice')?.totpEnabled).toBe(false);
      expect(file.verifyTotp('alice', '081804')).toBe(false);
    });
  });

  describe('a file edited by hand', () => {
    const HASH = bcrypt.hashSync('hand written pass', 4);

    it('is read again on each call; an app_admin without permissions gets the default', () => {
      expect(file.list()).toEqual([]);
      writeFileSync(
        path,
        `users:\n  - username: dan\n    password_hash: '${HASH}'\n    role: app_admin\n    apps: [blog]\n`,
      );
      expect(file.list()).toEqual([
        {
          username: 'dan',
          role: 'app_admin',
          apps: ['blog'],
          permissions: ['read', 'write'],
          totpEnabled: false,
          disabled: false,
          passwordChangedAt: null,
        },
      ]);
    });

    it('gets mode 600 back at the next change', () => {
      writeFileSync(path, `users:\n  - username: dan\n    password_hash: '${HASH}'\n    role: super_admin\n`);
      chmodSync(path, 0o644);
      file.setDisabled('dan', false);
      expect(statSync(path).mode & 0o777).toBe(0o600);
    });

    it.each([
      ['users:\n  - username: dan\n    role: [\n', 'config/admin_users.yaml:', '(yaml): expected valid YAML'],
      [
        `users:\n  - username: dan\n    password_hash: '${HASH}'\n    role: root\n`,
        'config/admin_users.yaml:4: users[0].role: expected one of super_admin, app_admin, got "root"',
      ],
      [
        `users:\n  - username: dan\n    password_hash: 'not-a-hash'\n    role: super_admin\n`,
        'config/admin_users.yaml:3: users[0].password_hash: expected a bcrypt hash ($2b$12$…), got 10 characters',
      ],
      [
        `users:\n  - username: dan\n    password_hash: '${HASH}'\n    role: app_admin\n`,
        'users[0].apps: expected at least one app for an app_admin, got none',
      ],
      [
        `users:\n  - username: dan\n    password_hash: '${HASH}'\n    role: super_admin\n    apps: [shop]\n`,
        'config/admin_users.yaml:5: users[0].apps: expected nothing for a super_admin',
      ],
      [
        `users:\n  - username: dan\n    password_hash: '${HASH}'\n    role: app_admin\n    apps: [shop]\n    permissions: [root]\n`,
        'config/admin_users.yaml:6: users[0].permissions[0]: expected a permission such as schema:read',
      ],
      [
        `users:\n  - username: dan\n    password_hash: '${HASH}'\n    role: super_admin\n    disable: true\n`,
        'users[0].disable: expected one of username, password_hash, role, apps, permissions, totp_secret, disabled, password_changed_at (did you mean disabled?), got an unknown key',
      ],
      [
        `users:\n  - username: dan\n    password_hash: '${HASH}'\n    role: super_admin\n  - username: dan\n    password_hash: '${HASH}'\n    role: super_admin\n`,
        'config/admin_users.yaml:5: users[1].username: expected each username once, got a repeat of "dan"',
      ],
    ])('a malformed file is a ConfigError naming file, line and key (%#)', async (content, ...parts) => {
      writeFileSync(path, content);
      const error = await thrown(() => file.list());
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.code).toBe('VALIDATION_FAILED');
      for (const part of parts) expect(error.message).toContain(part);
      expect(error.message).not.toContain(HASH);
      // A change refuses it too and leaves the file as it was.
      expect(
        await thrown(() => file.add({ username: 'eve', password: PASSWORD, role: 'super_admin' })),
      ).toBeInstanceOf(ConfigError);
      expect(fileText()).toBe(content);
    });
  });
});
