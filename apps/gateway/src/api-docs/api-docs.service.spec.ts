import { loadScenarios, parseRoutePath } from '@sogoms/schema';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scenarioRoutes } from '../extensions/runtime-extender.js';
import { documentedRoute } from './api-docs.service.js';

describe('documentedRoute', () => {
  let dir: string | undefined;
  afterEach(() => dir !== undefined && rmSync(dir, { recursive: true, force: true }));

  it('documents a scenario endpoint with its path, query and body names', () => {
    dir = mkdtempSync(join(tmpdir(), 'sogoms-docs-'));
    mkdirSync(join(dir, 'scenarios/tasks'), { recursive: true });
    writeFileSync(
      join(dir, 'scenarios/tasks/move.yaml'),
      [
        'description: Move a task',
        'method: POST',
        'path: /tasks/:id/move',
        'public: true',
        'status: 201',
        'steps:',
        '  - { name: a, sql: "UPDATE t SET s = :body.status, p = :body.position WHERE id = :path.id AND :query.force" }',
      ].join('\n'),
    );
    const [route] = scenarioRoutes(loadScenarios(dir, dir));
    expect(documentedRoute(route)).toEqual({
      method: 'POST',
      path: '/tasks/{id}/move',
      public: true,
      tag: 'scenarios',
      summary: 'Move a task',
      body: true,
      status: 201,
      query: ['force'],
      bodyKeys: ['status', 'position'],
    });
  });

  it('documents a module route under its module name', () => {
    const documented = documentedRoute({
      kind: 'module',
      method: 'GET',
      path: '/tasks/:id/next',
      segments: parseRoutePath('/tasks/:id/next')!,
      public: false,
      status: 200,
      module: 'task-position',
      summary: 'Next',
      handler: () => null,
    });
    expect(documented).toMatchObject({ path: '/tasks/{id}/next', tag: 'task-position', body: false });
    expect(documented.query).toBeUndefined();
  });
});
