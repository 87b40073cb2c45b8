import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '@sogoms/config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadScenarios } from './scenario-loader.js';

const DEMO_APP = resolve(import.meta.dirname, '../../../config/apps/prokov');

describe('loadScenarios', () => {
  let root: string;
  let appDir: string;
  const write = (id: string, text: string): void => {
    const file = join(appDir, 'scenarios', `${id}.yaml`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  const load = () => loadScenarios(appDir, root);
  const problemsOf = (): { file: string; key: string; expected: string }[] => {
    try {
      load();
    } catch (error) {
      if (error instanceof ConfigError)
        return error.problems as { file: string; key: string; expected: string }[];
      throw error;
    }
    throw new Error('expected a ConfigError');
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sogoms-scenarios-'));
    appDir = join(root, 'apps', 'shop');
    mkdirSync(appDir, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('keeps the demo login scenario as it was: no endpoint, read steps', () => {
    const login = loadScenarios(DEMO_APP, resolve(DEMO_APP, '../../..')).get('auth/login');
    expect(login?.endpoint).toBeNull();
    expect(login?.steps.map((s) => [s.name, s.kind, s.single])).toEqual([
      ['projects', 'rows', false],
      ['statuses', 'rows', false],
      ['tags', 'rows', false],
      ['tasks', 'rows', false],
      ['task_tags', 'rows', false],
    ]);
    expect(login?.steps[0].sql.params).toEqual(['user_id']);
  });

  it('compiles an endpoint: method, path segments, placeholders from path, query, body and token', () => {
    write(
      'projects/archive',
      [
        'description: Archive a project and answer it',
        'method: POST',
        'path: /projects/:id/archive',
        'status: 201',
        'answer: project',
        'steps:',
        '  - name: archived',
        '    sql: UPDATE projects SET archived = 1, note = :body.note WHERE id = :path.id AND user_id = :user_id',
        '  - name: project',
        '    sql: SELECT * FROM projects WHERE id = :path.id AND user_id = :user_id AND :query.x IS NULL',
        '    single: true',
        '    required: true',
      ].join('\n'),
    );
    const scenario = load().get('projects/archive')!;
    expect(scenario.endpoint).toEqual({
      method: 'POST',
      path: '/projects/:id/archive',
      segments: [{ literal: 'projects' }, { param: 'id' }, { literal: 'archive' }],
      public: false,
      status: 201,
      answer: 'project',
    });
    expect(scenario.steps.map((s) => [s.name, s.kind, s.single, s.required])).toEqual([
      ['archived', 'write', false, false],
      ['project', 'rows', true, true],
    ]);
    expect(scenario.steps[0].sql.params).toEqual(['body.note', 'path.id', 'user_id']);
    expect(scenario.steps[1].sql.sql).toContain('id = ? AND user_id = ? AND ? IS NULL');
  });

  it('takes an explicit kind over the guess from the first keyword', () => {
    write('x', 'method: GET\npath: /x\nsteps:\n  - { name: a, sql: "CALL counts(:user_id)", kind: write }\n');
    expect(load().get('x')?.steps[0].kind).toBe('write');
  });

  it('refuses placeholders that the request cannot give', () => {
    write(
      'a',
      'method: GET\npath: /a/:id\nsteps:\n  - { name: s, sql: "SELECT :path.other, :body.x, :secret" }\n',
    );
    write('b', 'steps:\n  - { name: s, sql: "SELECT :query.q" }\n');
    const problems = problemsOf();
    expect(problems).toEqual([
      {
        file: 'apps/shop/scenarios/a.yaml',
        key: 'steps[0].sql',
        expected:
          'placeholders among :user_id, :role, :email, :app, :path.<a param of the path>, :query.<name> (got :path.other, :body.x, :secret)',
      },
      {
        file: 'apps/shop/scenarios/b.yaml',
        key: 'steps[0].sql',
        expected: 'placeholders among :user_id, :role, :email, :app (got :query.q)',
      },
    ]);
  });

  it('refuses bad and reserved paths, bad methods and statuses', () => {
    const step = 'steps:\n  - { name: s, sql: SELECT 1 }\n';
    write('p1', `method: GET\npath: /_schema/x\n${step}`);
    write('p2', `method: GET\npath: /auth/login\n${step}`);
    write('p3', `method: GET\npath: tasks\n${step}`);
    write('p4', `method: GET\npath: /tasks/:Id\n${step}`);
    write('p5', `method: FETCH\npath: /tasks\n${step}`);
    write('p6', `method: GET\npath: /tasks\nstatus: 404\n${step}`);
    write('p7', `public: true\n${step}`);
    expect(problemsOf().map((p) => `${p.file.split('/').pop()} ${p.key}`)).toEqual([
      'p1.yaml path',
      'p2.yaml path',
      'p3.yaml path',
      'p4.yaml path',
      'p5.yaml method',
      'p6.yaml status',
      'p7.yaml public',
    ]);
  });

  it('refuses two endpoints with the same method and path shape', () => {
    write('one', 'method: GET\npath: /tasks/:id/x\nsteps:\n  - { name: s, sql: SELECT 1 }\n');
    write('two', 'method: GET\npath: /tasks/:task/x\nsteps:\n  - { name: s, sql: SELECT 1 }\n');
    write('three', 'method: POST\npath: /tasks/:task/x\nsteps:\n  - { name: s, sql: SELECT 1 }\n');
    expect(problemsOf()).toEqual([
      {
        file: 'apps/shop/scenarios/two.yaml',
        key: 'path',
        expected: 'a method and path no other scenario serves (one does)',
      },
    ]);
  });

  it('refuses an unknown answer step, required without single and single on a write', () => {
    write('a', 'method: GET\npath: /a\nanswer: nope\nsteps:\n  - { name: s, sql: SELECT 1 }\n');
    write('b', 'method: GET\npath: /b\nsteps:\n  - { name: s, sql: SELECT 1, required: true }\n');
    write('c', 'method: POST\npath: /c\nsteps:\n  - { name: s, sql: "DELETE FROM t", single: true }\n');
    expect(problemsOf().map((p) => `${p.file.split('/').pop()} ${p.key}`)).toEqual([
      'a.yaml answer',
      'b.yaml steps[0].required',
      'c.yaml steps[0].single',
    ]);
  });
});
