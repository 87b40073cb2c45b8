import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@sogoms/config';
import { afterEach, describe, expect, it } from 'vitest';
import { loadQueryOverrides } from './query-overrides.loader.js';
import { crudTestSchema } from './testing/crud-schema.fixture.js';

const dirs: string[] = [];
const appWith = (files: Record<string, string>): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sogoms-queries-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'queries'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'queries', name), text);
  return dir;
};

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadQueryOverrides', () => {
  it('is empty without a queries folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sogoms-queries-'));
    dirs.push(dir);
    expect(loadQueryOverrides(dir, dir, crudTestSchema()).size).toBe(0);
  });

  it('compiles SQL per op and role (a plain string is the default role)', () => {
    const dir = appWith({
      'tasks.yaml': [
        'list:',
        '  default: SELECT * FROM tasks WHERE user_id = :user_id LIMIT :limit OFFSET :offset',
        '  admin: SELECT * FROM tasks WHERE title LIKE :query.q LIMIT :limit',
        'read: SELECT * FROM tasks WHERE id = :path.id AND user_id = :user_id',
        'create: INSERT INTO tasks (user_id, title) VALUES (:user_id, :body.title)',
      ].join('\n'),
    });
    const tasks = loadQueryOverrides(dir, dir, crudTestSchema()).get('tasks')!;
    expect(tasks.get('list')!.get('default')).toEqual({
      sql: 'SELECT * FROM tasks WHERE user_id = ? LIMIT ? OFFSET ?',
      params: ['user_id', 'limit', 'offset'],
    });
    expect(tasks.get('list')!.get('admin')!.params).toEqual(['query.q', 'limit']);
    expect(tasks.get('read')!.get('default')!.params).toEqual(['path.id', 'user_id']);
    expect(tasks.get('create')!.get('default')!.params).toEqual(['user_id', 'body.title']);
  });

  it('reports every problem of every file at once', () => {
    const dir = appWith({
      'nope.yaml': 'list: SELECT 1',
      'tasks.yaml': [
        'lisst: SELECT 1',
        'read: SELECT * FROM tasks WHERE id = :path.title AND x = :body.title',
        'delete: DELETE FROM tasks WHERE id = ?',
        'update: { "bad role!": UPDATE tasks SET title = :body.nope }',
      ].join('\n'),
    });
    let error: unknown;
    try {
      loadQueryOverrides(dir, dir, crudTestSchema());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const keys = (error as ConfigError).problems.map((p) => `${p.file}: ${p.key}: ${p.got ?? p.expected}`);
    expect(keys).toEqual([
      'queries/nope.yaml: (file): nope',
      'queries/tasks.yaml: lisst: one of list read create update delete',
      'queries/tasks.yaml: read.default: path.title is not id or a key field',
      'queries/tasks.yaml: read.default: :body.title is not available in read',
      'queries/tasks.yaml: delete.default: Use :name placeholders, not ?',
      'queries/tasks.yaml: update.bad role!: a role name mapped to SQL text',
    ]);
  });
});
