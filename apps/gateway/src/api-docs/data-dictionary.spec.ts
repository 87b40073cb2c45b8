import { describe, expect, it } from 'vitest';
import { dataDictionary } from './data-dictionary.js';
import { docsSchema } from './testing/docs-schema.fixture.js';

describe('dataDictionary', () => {
  const dictionary = dataDictionary(docsSchema(), '/api');
  const table = (name: string) => dictionary.tables.find((t) => t.name === name)!;

  it('lists every table with the base path', () => {
    expect(dictionary.base_path).toBe('/api');
    expect(dictionary.schema_version).toBe(1);
    expect(dictionary.tables.map((t) => t.name)).toEqual([
      'users',
      'tasks',
      'task_tags',
      'tags',
      'task_list',
      'every_type',
    ]);
  });

  it('describes fields with their MariaDB type, constraints and flags', () => {
    const tasks = table('tasks');
    expect(tasks.comment).toBe('Things to do');
    expect(tasks.primary).toEqual(['id']);
    expect(tasks.fields.find((f) => f.name === 'title')).toEqual({
      name: 'title',
      type: 'string',
      db_type: 'varchar',
      length: 200,
      nullable: false,
      required: true,
      unsigned: false,
      primary: false,
      auto: false,
      unique: false,
      hidden: false,
      readonly: false,
      writable: true,
    });
    expect(tasks.fields.find((f) => f.name === 'id')).toMatchObject({
      db_type: 'int',
      primary: true,
      auto: true,
      unsigned: true,
      writable: false,
    });
    expect(tasks.fields.find((f) => f.name === 'user_id')?.foreign).toEqual({
      table: 'users',
      field: 'id',
      on_delete: 'restrict',
      on_update: 'restrict',
    });
    expect(tasks.fields.find((f) => f.name === 'created_at')).toMatchObject({
      default: { sql: 'current_timestamp()' },
      readonly: true,
      writable: false,
    });
    expect(tasks.fields.find((f) => f.name === 'description')?.comment).toBe('Markdown');
    const types = Object.fromEntries(table('every_type').fields.map((f) => [f.name, f.db_type]));
    expect(types).toMatchObject({
      id: 'bigint',
      tiny: 'tinyint',
      flag: 'tinyint(1)',
      code: 'char',
      place: 'point',
    });
  });

  it('lists hidden and password fields as hidden, without a password default', () => {
    const users = table('users');
    expect(users.fields.find((f) => f.name === 'password_hash')).toMatchObject({
      auth: 'password',
      hidden: true,
      writable: false,
    });
    expect(users.fields.find((f) => f.name === 'api_key')).toMatchObject({ hidden: true, writable: false });
    expect(users.fields.find((f) => f.name === 'email')).toMatchObject({ auth: 'login', unique: true });
  });

  it('describes relations, indexes, owner rule, order and named filters without their SQL', () => {
    const tasks = table('tasks');
    expect(tasks.relations).toEqual([
      { name: 'user', type: 'belongs_to', table: 'users', field: 'user_id', references: 'id' },
    ]);
    expect(tasks.indexes).toEqual([
      { name: 'idx_tasks_user_position', fields: ['user_id', 'position'], unique: false },
    ]);
    expect(tasks.owner).toEqual({ field: 'user_id', bypass: ['admin'] });
    expect(tasks.order).toEqual([{ field: 'position', direction: 'asc' }]);
    expect(tasks.filters).toEqual([{ name: 'by_title', params: ['q'] }]);
    expect(JSON.stringify(tasks)).not.toContain('LIKE');
    expect(table('users').owner).toBeNull();
  });

  it('lists the routes generated for each table, with the base path and public flags', () => {
    expect(table('tasks').routes).toEqual([
      { op: 'list', method: 'GET', path: '/api/tasks', public: false },
      { op: 'read', method: 'GET', path: '/api/tasks/{id}', public: false },
      { op: 'create', method: 'POST', path: '/api/tasks', public: false },
      { op: 'update', method: 'PATCH', path: '/api/tasks/{id}', public: false },
      { op: 'update', method: 'PUT', path: '/api/tasks/{id}', public: false },
      { op: 'delete', method: 'DELETE', path: '/api/tasks/{id}', public: false },
    ]);
    expect(
      table('tags')
        .routes.filter((r) => r.public)
        .map((r) => r.op),
    ).toEqual(['list', 'read']);
    expect(table('users').routes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/users',
      'GET /api/users/{id}',
    ]);
    expect(table('task_tags').routes.map((r) => r.method)).toEqual(['GET', 'GET', 'POST', 'DELETE']);
    // A view without a key: list only, even when crud says more.
    expect(table('task_list').routes.map((r) => r.op)).toEqual(['list']);
  });

  it('has no tables for an app without schema.yaml', () => {
    expect(dataDictionary(null, '/v1')).toEqual({ base_path: '/v1', schema_version: 1, tables: [] });
  });
});
