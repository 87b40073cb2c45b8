import { randomBytes } from 'node:crypto';
import { PasswordHasher } from '@sogoms/auth';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliFailure, type CliContext } from '../cli-context.js';
import { runCli } from '../main.js';
import { createSogomsUsersSql } from '@sogoms/provisioning';
import { userCreateCommand } from './user-create.command.js';
import { userSetRoleCommand } from './user-set-role.command.js';

const SERVER = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };
const DB = `sogoms_test_appcreate_users_${randomBytes(3).toString('hex')}`;

describe('user create / user set-role (real MariaDB)', () => {
  let fixture: ConfigFixture;
  let admin: mysql.Connection;
  const lines: string[] = [];

  const ctx = <O extends object>(args: string[], options: O): CliContext<O> => ({
    args,
    options,
    configRoot: fixture.root,
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
  });
  const userRow = async (email: string): Promise<Record<string, unknown> | undefined> => {
    const [rows] = await admin.query(`SELECT * FROM \`${DB}\`.sogoms_users WHERE email = ?`, [email]);
    return (rows as Record<string, unknown>[])[0];
  };

  beforeAll(async () => {
    admin = await mysql.createConnection(SERVER);
    await admin.query(`CREATE DATABASE \`${DB}\``);
    await admin.query(`USE \`${DB}\``);
    await admin.query(createSogomsUsersSql('mariadb'));
    // A table without role and name columns, for the app whose role_field is null.
    await admin.query(
      'CREATE TABLE plain_users (uid INT AUTO_INCREMENT PRIMARY KEY, login VARCHAR(100) UNIQUE NOT NULL, pw VARCHAR(100) NOT NULL)',
    );
    fixture = createConfigFixture();
    const auth = {
      users_table: 'sogoms_users',
      id_field: 'id',
      login_field: 'email',
      password_field: 'password_hash',
    };
    fixture.app('shop', {
      database: { name: DB },
      auth: { ...auth, role_field: 'role', min_password_length: 10 },
    });
    fixture.app('plain', {
      database: { name: DB },
      auth: {
        users_table: 'plain_users',
        id_field: 'uid',
        login_field: 'login',
        password_field: 'pw',
        role_field: null,
      },
    });
  });

  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS \`${DB}\``);
    await admin.end();
    fixture.remove();
  });

  it('creates an admin with a bcrypt hash that verifies, the email normalised', async () => {
    const code = await userCreateCommand.run(
      ctx(['shop'], {
        email: ' Boss@Shop.Test ',
        password: 'a long enough passphrase',
        role: 'admin',
        name: 'Boss',
      }),
    );
    expect(code).toBe(0);
    expect(lines.at(-1)).toMatch(/^created user boss@shop\.test \(id \d+, role admin\) in app 'shop'$/);
    const row = await userRow('boss@shop.test');
    expect(row).toMatchObject({ role: 'admin', name: 'Boss' });
    expect(await new PasswordHasher().verify('a long enough passphrase', row!.password_hash as string)).toBe(
      true,
    );
  });

  it('creates a default user when no role is given', async () => {
    await userCreateCommand.run(ctx(['shop'], { email: 'clerk@shop.test', password: 'another passphrase' }));
    expect(await userRow('clerk@shop.test')).toMatchObject({ role: 'default', name: null });
  });

  it('refuses an unknown app, naming the known ones', async () => {
    await expect(
      userCreateCommand.run(ctx(['nope'], { email: 'x@shop.test', password: 'a long enough passphrase' })),
    ).rejects.toThrow(/unknown app 'nope' \(apps in .*: plain, shop\)/);
    await expect(
      userSetRoleCommand.run(ctx(['nope'], { email: 'x@shop.test', role: 'admin' })),
    ).rejects.toThrow(/unknown app 'nope'/);
  });

  it("refuses a weak password with the register rules and the app's minimum length", async () => {
    const attempt = userCreateCommand.run(ctx(['shop'], { email: 'weak@shop.test', password: 'password1' }));
    await expect(attempt).rejects.toBeInstanceOf(CliFailure);
    await expect(attempt).rejects.toThrow(
      'weak password: password must be at least 10 characters; password is too common',
    );
    expect(await userRow('weak@shop.test')).toBeUndefined();
  });

  it('refuses a duplicate email, whatever its case', async () => {
    await expect(
      userCreateCommand.run(ctx(['shop'], { email: 'CLERK@shop.test', password: 'yet another passphrase' })),
    ).rejects.toThrow("a user with email clerk@shop.test already exists in app 'shop'");
  });

  it('refuses a bad email, an unknown role, missing and unknown flags', async () => {
    await expect(
      userCreateCommand.run(ctx(['shop'], { email: 'no-at-sign', password: 'x' })),
    ).rejects.toThrow(/is not an email address/);
    await expect(
      userCreateCommand.run(
        ctx(['shop'], { email: 'a@shop.test', password: 'a long enough passphrase', role: 'root' }),
      ),
    ).rejects.toThrow('--role must be one of default, admin (got "root")');
    // Through the CLI: commander refuses a missing required option and an unknown one (exit 2).
    const usage: string[] = [];
    const io = { out: (line: string) => usage.push(line), err: (line: string) => usage.push(line) };
    const cli = (...argv: string[]) => runCli([...argv, '--config', fixture.root], io);
    expect(await cli('user', 'create', 'shop', '--email', 'a@shop.test')).toBe(2);
    expect(await cli('user', 'create', 'shop', '--email', 'a@shop.test', '--password', 'x', '--admin')).toBe(
      2,
    );
    expect(usage).toEqual([
      "error: required option '--password <password>' not specified",
      "error: unknown option '--admin'",
    ]);
  });

  it('sets a role, and refuses an unknown email', async () => {
    expect(await userSetRoleCommand.run(ctx(['shop'], { email: 'Clerk@shop.test', role: 'admin' }))).toBe(0);
    expect(await userRow('clerk@shop.test')).toMatchObject({ role: 'admin' });
    await userSetRoleCommand.run(ctx(['shop'], { email: 'clerk@shop.test', role: 'default' }));
    expect(await userRow('clerk@shop.test')).toMatchObject({ role: 'default' });
    await expect(
      userSetRoleCommand.run(ctx(['shop'], { email: 'ghost@shop.test', role: 'admin' })),
    ).rejects.toThrow("no user with email ghost@shop.test in app 'shop'");
  });

  it('on an app without a role column: default users only, admin and set-role refused clearly', async () => {
    expect(
      await userCreateCommand.run(ctx(['plain'], { email: 'p@plain.test', password: 'plain passphrase' })),
    ).toBe(0);
    const [rows] = await admin.query('SELECT login, pw FROM plain_users');
    expect((rows as { login: string }[]).map((r) => r.login)).toEqual(['p@plain.test']);
    await expect(
      userCreateCommand.run(
        ctx(['plain'], { email: 'q@plain.test', password: 'plain passphrase', role: 'admin' }),
      ),
    ).rejects.toThrow(/app 'plain' has no role column \(auth.role_field is null/);
    await expect(
      userSetRoleCommand.run(ctx(['plain'], { email: 'p@plain.test', role: 'admin' })),
    ).rejects.toThrow(/has no role column/);
    await expect(
      userCreateCommand.run(
        ctx(['plain'], { email: 'n@plain.test', password: 'plain passphrase', name: 'N' }),
      ),
    ).rejects.toThrow("the users table 'plain_users' of app 'plain' has no name column: leave out --name");
  });
});
