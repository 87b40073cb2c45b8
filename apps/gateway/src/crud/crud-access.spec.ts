import { SogomsError } from '@sogoms/common';
import { describe, expect, it } from 'vitest';
import { compileApp } from './compiled-app.js';
import { authorize, authorizeIncludes, ownerScope, writeOwner } from './crud-access.js';
import { parseListQuery } from './list-query.parser.js';
import { crudTestSchema } from './testing/crud-schema.fixture.js';

const app = compileApp(crudTestSchema());
const table = (name: string) => app.tables.get(name)!;
const user = { sub: '7', role: 'default' };
const admin = { sub: '1', role: 'admin' };

const codeOf = (run: () => unknown): string | null => {
  try {
    run();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(SogomsError);
    return (error as SogomsError).code;
  }
};

describe('crud access rules', () => {
  it('405 for ops outside crud:, views and keyless tables list only', () => {
    expect(codeOf(() => authorize(table('customer_list'), 'create', user))).toBe('METHOD_NOT_ALLOWED');
    expect(codeOf(() => authorize(table('customer_list'), 'read', user))).toBe('METHOD_NOT_ALLOWED');
    expect(codeOf(() => authorize(table('customer_list'), 'list', user))).toBeNull();
  });

  it('401 without a token unless public; owner tables always need one', () => {
    expect(codeOf(() => authorize(table('film'), 'list', null))).toBeNull();
    expect(codeOf(() => authorize(table('film'), 'create', null))).toBe('UNAUTHORIZED');
    expect(codeOf(() => authorize(table('tasks'), 'list', null))).toBe('UNAUTHORIZED');
  });

  it('scopes owner tables to the token user unless the role bypasses', () => {
    expect(ownerScope(table('tasks'), user)).toBe(7);
    expect(ownerScope(table('tasks'), admin)).toBeNull();
    expect(ownerScope(table('film'), user)).toBeNull();
    expect(writeOwner(table('tasks'), user)).toEqual({ value: 7, bypass: false });
    expect(codeOf(() => ownerScope(table('tasks'), { sub: 'not-a-number', role: 'default' }))).toBe(
      'FORBIDDEN',
    );
  });

  it('scopes tables without an owner field through their owned parents', () => {
    const labels = table('task_labels');
    expect(labels.ownerLinks.map((l) => `${l.field.name} -> ${l.parent.name}.${l.parentKey.name}`)).toEqual([
      'task_id -> tasks.id',
    ]);
    expect(ownerScope(labels, user)).toBe(7);
    expect(ownerScope(labels, admin)).toBeNull();
    expect(codeOf(() => authorize(labels, 'list', null))).toBe('UNAUTHORIZED');
    // film_actor references film and actor, which belong to nobody.
    expect(table('film_actor').ownerLinks).toEqual([]);
  });

  it('applies the target table rules to included relations', () => {
    const film = table('film');
    const q = parseListQuery(film, { include: 'actor' });
    // film is public, actor is not: an anonymous include of actors needs a token.
    expect(codeOf(() => authorizeIncludes(q.include, null))).toBe('UNAUTHORIZED');
    expect(codeOf(() => authorizeIncludes(q.include, user))).toBeNull();
  });
});

describe('the users table rule', () => {
  const users = compileApp(
    {
      version: 1,
      tables: [
        {
          ...crudTestSchema().tables.find((t) => t.name === 'tasks')!,
          name: 'users',
          filter: undefined,
          ownerBypass: [],
          fields: crudTestSchema()
            .tables.find((t) => t.name === 'tasks')!
            .fields.map((f) => (f.name === 'title' ? { ...f, name: 'role' } : f)),
        },
      ],
    },
    new Map(),
    { table: 'users', idField: 'id', roleField: 'role' },
  ).tables.get('users')!;

  it('limits rows to the token user, admins see all, no create, role read-only', () => {
    expect(users.owner?.name).toBe('id');
    expect(ownerScope(users, user)).toBe(7);
    expect(ownerScope(users, admin)).toBeNull();
    expect(codeOf(() => authorize(users, 'create', user))).toBe('METHOD_NOT_ALLOWED');
    expect(users.fields.get('role')!.writable).toBe(false);
  });
});
