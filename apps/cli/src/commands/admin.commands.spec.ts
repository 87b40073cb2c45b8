import { readFileSync, writeFileSync } from 'node:fs';
import { AdminUsersFile, adminUsersPath } from '@sogoms/admin-users';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import { Secret, TOTP } from 'otpauth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../main.js';

describe('sogoms admin add|passwd|remove|list|totp|disable|enable (real files, real bcrypt)', () => {
  let fixture: ConfigFixture;
  let file: AdminUsersFile;

  /** Runs the CLI on the fixture's config root with its output captured. */
  const cli = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['--config', fixture.root, ...argv], {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeEach(() => {
    fixture = createConfigFixture();
    fixture.app('shop');
    fixture.app('blog');
    file = new AdminUsersFile(adminUsersPath(fixture.root));
  });
  afterEach(() => fixture.remove());

  it('add, list, passwd, remove', async () => {
    expect((await cli('admin', 'list')).out).toBe(
      `no admin users in ${fixture.root}/admin_users.yaml (add one: sogoms admin add <username> --password P --role super_admin)`,
    );
    expect(
      await cli('admin', 'add', 'alice', '--password', 'a long passphrase', '--role', 'super_admin'),
    ).toEqual({
      code: 0,
      out: `added admin user alice (super_admin: every app) to ${fixture.root}/admin_users.yaml`,
      err: '',
    });
    const bob = await cli(
      'admin',
      'add',
      'bob',
      '--password',
      'another passphrase',
      '--role',
      'app_admin',
      '--apps',
      'shop, blog',
      '--permissions',
      'schema:read,cron:*',
    );
    expect(bob.out).toBe(
      `added admin user bob (app_admin: apps shop, blog; permissions schema:read, cron:*) to ${fixture.root}/admin_users.yaml`,
    );
    expect(file.find('bob')).toMatchObject({
      apps: ['shop', 'blog'],
      permissions: ['schema:read', 'cron:*'],
    });

    const list = await cli('admin', 'list');
    expect(list.code).toBe(0);
    expect(list.out.split('\n')).toEqual([
      'USERNAME  ROLE         APPS       PERMISSIONS         TOTP  DISABLED',
      'alice     super_admin  (all)      (all)               off   no',
      'bob       app_admin    shop,blog  schema:read,cron:*  off   no',
    ]);

    expect(await cli('admin', 'passwd', 'bob', '--password', 'a brand new passphrase')).toMatchObject({
      code: 0,
    });
    expect(await file.verifyPassword('bob', 'another passphrase')).toBeNull();
    expect(await file.verifyPassword('bob', 'a brand new passphrase')).toMatchObject({ username: 'bob' });

    expect(await cli('admin', 'remove', 'bob')).toEqual({ code: 0, out: 'removed admin user bob', err: '' });
    expect(file.list().map((user) => user.username)).toEqual(['alice']);
  });

  it('refuses bad input in one line with exit 2 and leaves the file as it was', async () => {
    await cli('admin', 'add', 'alice', '--password', 'a long passphrase', '--role', 'super_admin');
    const before = readFileSync(adminUsersPath(fixture.root), 'utf8');
    const add = (...extra: string[]): Promise<{ code: number; out: string; err: string }> =>
      cli('admin', 'add', 'carol', '--password', 'a long passphrase', ...extra);
    expect(await add('--role', 'app_admin', '--apps', 'shop,crm,wiki')).toEqual({
      code: 2,
      out: '',
      err: `sogoms: --apps: unknown apps 'crm', 'wiki' (apps in ${fixture.root}: blog, shop)`,
    });
    expect((await add('--role', 'app_admin')).err).toBe('sogoms: an app_admin needs at least one app');
    expect((await add('--role', 'root')).err).toBe(
      'sogoms: bad role "root": expected super_admin or app_admin',
    );
    expect(
      (await add('--role', 'app_admin', '--apps', 'shop', '--permissions', 'schema:read,logs')).err,
    ).toMatch(/^sogoms: bad permission "logs": expected \{area\}:\{level\}/);
    expect((await cli('admin', 'add', 'carol', '--password', 'short', '--role', 'super_admin')).err).toBe(
      'sogoms: password too short: at least 10 characters, got 5',
    );
    expect(
      (await cli('admin', 'add', 'alice', '--password', 'a long passphrase', '--role', 'super_admin')).err,
    ).toBe('sogoms: admin user "alice" exists already');
    // commander's own usage errors: the same exit code.
    expect(await add()).toMatchObject({
      code: 2,
      err: "error: required option '--role <role>' not specified",
    });
    for (const words of [
      ['passwd', 'zed', '--password', 'a long passphrase'],
      ['remove', 'zed'],
      ['totp', 'zed'],
    ])
      expect(await cli('admin', ...words)).toEqual({ code: 2, out: '', err: 'sogoms: no admin user "zed"' });
    expect(readFileSync(adminUsersPath(fixture.root), 'utf8')).toBe(before);
  });

  it('totp prints the otpauth URI and the secret; its codes log in; --disable turns it off', async () => {
    await cli('admin', 'add', 'alice', '--password', 'a long passphrase', '--role', 'super_admin');
    const { code, out } = await cli('admin', 'totp', 'alice');
    expect(code).toBe(0);
    const secret = /^ {2}secret: ([A-Z2-7]{32})$/m.exec(out)?.[1];
    expect(secret).toBeDefined();
    expect(out).toContain(
      `  uri:    otpauth://totp/SOGOMS:alice?issuer=SOGOMS&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    );
    expect(file.verifyTotp('alice', new TOTP({ secret: Secret.fromBase32(secret!) }).generate())).toBe(true);
    expect((await cli('admin', 'list')).out).toMatch(/^alice .* on +no$/m);

    expect((await cli('admin', 'totp', 'alice', '--disable')).code).toBe(0);
    expect(file.find('alice')?.totpEnabled).toBe(false);
  });

  it('disable and enable; the last active super_admin stays', async () => {
    await cli('admin', 'add', 'alice', '--password', 'a long passphrase', '--role', 'super_admin');
    const last = await cli('admin', 'disable', 'alice');
    expect(last.code).not.toBe(0);
    expect(last.err).toContain('last active super_admin');
    expect((await cli('admin', 'remove', 'alice')).err).toContain('last active super_admin');
    await cli('admin', 'add', 'bob', '--password', 'a long passphrase', '--role', 'super_admin');
    expect(await cli('admin', 'disable', 'alice')).toEqual({
      code: 0,
      out: 'disabled admin user alice',
      err: '',
    });
    expect(await file.verifyPassword('alice', 'a long passphrase')).toBeNull();
    expect((await cli('admin', 'list')).out).toMatch(/^alice .* off +yes$/m);
    expect((await cli('admin', 'enable', 'alice')).code).toBe(0);
    expect(file.find('alice')?.disabled).toBe(false);
  });

  it('a malformed file is reported with its file, line and key', async () => {
    writeFileSync(adminUsersPath(fixture.root), 'users:\n  - username: dan\n    role: root\n');
    const { code, err } = await cli('admin', 'list');
    expect(code).toBe(2);
    expect(err).toContain(
      'config/admin_users.yaml:3: users[0].role: expected one of super_admin, app_admin, got "root"',
    );
  });
});
