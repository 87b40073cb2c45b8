import { compileNamedSql, type CompiledScenario } from '@sogoms/schema';
import { describe, expect, it } from 'vitest';
import { endpointBindings, type EndpointInput } from './scenario-bindings.js';

const scenario = (...sql: string[]): CompiledScenario => ({
  id: 'x',
  description: '',
  endpoint: null,
  steps: sql.map((text, i) => ({
    name: `s${i}`,
    sql: compileNamedSql(text),
    kind: 'rows' as const,
    single: false,
    required: false,
  })),
});

const input = (over: Partial<EndpointInput> = {}): EndpointInput => ({
  app: 'demo',
  params: { id: '7' },
  query: {},
  body: undefined,
  caller: { sub: '3', role: 'admin', email: 'a@b.c' },
  ...over,
});

describe('endpointBindings', () => {
  it('binds token, app, path, query and body values by name', () => {
    const bindings = endpointBindings(
      scenario(
        'SELECT :user_id, :role, :email, :app, :path.id',
        'SELECT :query.q, :query.ids, :body.title, :body.meta',
      ),
      input({ query: { q: 'milk', ids: ['1', '2'] }, body: { title: 'T', meta: { a: 1 } } }),
    );
    expect(bindings).toEqual({
      user_id: '3',
      role: 'admin',
      email: 'a@b.c',
      app: 'demo',
      'path.id': '7',
      'query.q': 'milk',
      'query.ids': ['1', '2'],
      'body.title': 'T',
      'body.meta': '{"a":1}',
    });
  });

  it('binds NULL for absent values and for the token without one', () => {
    expect(
      endpointBindings(
        scenario('SELECT :user_id, :role, :query.q, :body.x'),
        input({ caller: null, body: {} }),
      ),
    ).toEqual({
      user_id: null,
      role: null,
      'query.q': null,
      'body.x': null,
    });
  });

  it('refuses what cannot be bound, naming each value', () => {
    expect(() => endpointBindings(scenario('SELECT :body.x'), input({ body: [1] }))).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', details: { body: ['must be a JSON object'] } }),
    );
    expect(() =>
      endpointBindings(
        scenario('SELECT :query.q, :body.list, :body.empty'),
        input({ query: { q: { nested: 'x' } }, body: { list: [[1]], empty: [] } }),
      ),
    ).toThrow(
      expect.objectContaining({
        details: {
          'query.q': ['must be a value or a non-empty list of values'],
          'body.list': ['must be a value or a non-empty list of values'],
          'body.empty': ['must be a value or a non-empty list of values'],
        },
      }),
    );
  });
});
