import { parseRoutePath } from '@sogoms/schema';
import { describe, expect, it } from 'vitest';
import { CustomRouteTable, type CustomRoute } from './custom-routes.js';

const moduleRoute = (method: CustomRoute['method'], path: string, module = 'm'): CustomRoute => ({
  kind: 'module',
  method,
  path,
  segments: parseRoutePath(path)!,
  public: false,
  status: 200,
  module,
  summary: '',
  handler: () => null,
});

const scenarioRoute = (method: CustomRoute['method'], path: string, id: string): CustomRoute => ({
  kind: 'scenario',
  method,
  path,
  segments: parseRoutePath(path)!,
  public: false,
  status: 200,
  scenario: { id, description: '', steps: [], endpoint: null },
});

describe('CustomRouteTable', () => {
  const table = new CustomRouteTable([
    moduleRoute('GET', '/tasks/:id'),
    moduleRoute('GET', '/tasks/summary'),
    moduleRoute('POST', '/tasks/:id/move'),
    scenarioRoute('GET', '/projects/:project/tasks/:task', 'p/t'),
  ]);

  it('matches method and path, literal segments before parameters', () => {
    expect(table.match('GET', '/tasks/summary')?.route.path).toBe('/tasks/summary');
    expect(table.match('GET', '/tasks/7')).toMatchObject({
      route: { path: '/tasks/:id' },
      params: { id: '7' },
    });
    expect(table.match('POST', '/tasks/7/move')?.params).toEqual({ id: '7' });
    expect(table.match('GET', '/projects/3/tasks/9')?.params).toEqual({ project: '3', task: '9' });
  });

  it('decodes parameters and refuses empty or malformed ones', () => {
    expect(table.match('GET', '/tasks/a%20b')?.params).toEqual({ id: 'a b' });
    expect(table.match('GET', '/tasks/')).toBeUndefined();
    expect(table.match('GET', '/tasks/%E0%A4%A')).toBeUndefined();
  });

  it('does not match other methods, lengths or literals', () => {
    expect(table.match('DELETE', '/tasks/7')).toBeUndefined();
    expect(table.match('GET', '/tasks')).toBeUndefined();
    expect(table.match('GET', '/tasks/7/move')).toBeUndefined();
    expect(table.match('POST', '/tasks/7/copy')).toBeUndefined();
    expect(CustomRouteTable.EMPTY.match('GET', '/tasks/1')).toBeUndefined();
  });

  it('refuses two routes of the same shape, naming both', () => {
    expect(
      () =>
        new CustomRouteTable([scenarioRoute('GET', '/a/:x', 'one'), moduleRoute('GET', '/a/:y', 'audit')]),
    ).toThrow('module audit and scenario one declare the same route GET /a/:y');
  });
});
