import type { FieldDef, SchemaDef, TableDef } from '@sogoms/schema';
import { describe, expect, it } from 'vitest';
import { detectUsersTable, usersTableFit } from './users-table.detector.js';

const field = (name: string, over: Partial<FieldDef> = {}): FieldDef => ({
  name,
  type: 'string',
  length: 255,
  unsigned: false,
  primary: false,
  auto: false,
  unique: false,
  required: false,
  nullable: true,
  hidden: false,
  readonly: false,
  ...over,
});

const id = field('id', { type: 'int', length: undefined, primary: true, auto: true, nullable: false });

const table = (name: string, fields: FieldDef[], over: Partial<TableDef> = {}): TableDef => ({
  name,
  primary: fields.filter((f) => f.primary).map((f) => f.name),
  fields,
  indexes: [],
  relations: [],
  crud: ['list', 'read', 'create', 'update', 'delete'],
  public: [],
  ownerField: 'user_id',
  ownerBypass: [],
  order: [],
  filters: [],
  view: false,
  ...over,
});

const schema = (...tables: TableDef[]): SchemaDef => ({ version: 1, tables });

const users = table('users', [
  id,
  field('email', { required: true, nullable: false, unique: true }),
  field('password_hash', { length: 100, required: true, nullable: false }),
  field('role', { type: 'enum', length: undefined, values: ['default', 'admin'], default: 'default' }),
]);

describe('usersTableFit', () => {
  it('takes the primary key, login, password and role columns', () => {
    expect(usersTableFit(users)).toEqual({
      ok: true,
      auth: {
        usersTable: 'users',
        idField: 'id',
        loginField: 'email',
        passwordField: 'password_hash',
        roleField: 'role',
      },
    });
  });

  it('finds other column names case-insensitively; no role column means roleField null', () => {
    const fit = usersTableFit(
      table('Member', [
        field('MemberId', { type: 'int', primary: true, auto: true }),
        field('UserName', { required: true }),
        field('Password', { type: 'text', required: true }),
      ]),
    );
    expect(fit).toEqual({
      ok: true,
      auth: {
        usersTable: 'Member',
        idField: 'MemberId',
        loginField: 'UserName',
        passwordField: 'Password',
        roleField: null,
      },
    });
  });

  it('gives every reason a table cannot be the users table', () => {
    // Sakila's staff: SHA-1 passwords in varchar(40) and required columns register cannot fill.
    const staff = table('staff', [
      field('staff_id', { type: 'int', primary: true, auto: true }),
      field('email', {}),
      field('password', { length: 40 }),
      field('store_id', { type: 'int', required: true }),
      field('first_name', { required: true }),
    ]);
    const fit = usersTableFit(staff);
    expect(fit.ok).toBe(false);
    expect(!fit.ok && fit.reasons).toEqual([
      'its password column password holds 40 characters, a bcrypt hash needs 60',
      'a new user would need values for store_id, first_name',
    ]);
    const view = usersTableFit(table('v', [field('email')], { view: true }));
    expect(!view.ok && view.reasons).toEqual([
      'it is a view',
      'it has no single-column primary key',
      'no text password column (password, password_hash, passwd)',
    ]);
  });
});

describe('detectUsersTable', () => {
  it('finds nothing in a database without a fitting table', () => {
    expect(detectUsersTable(schema(table('film', [id, field('title')])))).toBeUndefined();
  });

  it('prefers the name users and lists the others that fit', () => {
    const accounts = { ...users, name: 'accounts' };
    const zeta = { ...users, name: 'zeta' };
    const found = detectUsersTable(schema(zeta, accounts, users));
    expect(found?.auth.usersTable).toBe('users');
    expect(found?.others).toEqual(['accounts', 'zeta']);
  });
});
