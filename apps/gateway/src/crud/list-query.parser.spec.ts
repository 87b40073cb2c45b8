import { SogomsError } from '@sogoms/common';
import { describe, expect, it } from 'vitest';
import { compileApp } from './compiled-app.js';
import type { CompiledTable } from './compiled-table.js';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, parseListQuery, parseReadQuery } from './list-query.parser.js';
import type { Condition } from './list-query.types.js';
import { crudTestSchema } from './testing/crud-schema.fixture.js';

const app = compileApp(crudTestSchema());
const film = app.tables.get('film')!;
const tasks = app.tables.get('tasks')!;

/** A condition as plain data: field names instead of compiled fields. */
const plain = (c: Condition): unknown => {
  switch (c.kind) {
    case 'compare':
      return [c.field.name, c.op, c.value];
    case 'in':
      return [c.field.name, c.negate ? 'nin' : 'in', c.values];
    case 'null':
      return [c.field.name, 'null', c.isNull];
    case 'all':
    case 'any':
      return { [c.kind]: c.items.map(plain) };
    case 'named':
      return { named: c.filter.name, params: c.params };
  }
};

const where = (table: CompiledTable, query: Record<string, unknown>): unknown[] =>
  parseListQuery(table, query).where.map(plain);

const problemsOf = (run: () => unknown): Record<string, string[]> => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SogomsError);
    expect((error as SogomsError).code).toBe('VALIDATION_FAILED');
    return (error as SogomsError).details as Record<string, string[]>;
  }
  throw new Error('expected a VALIDATION_FAILED');
};

describe('parseListQuery: filters', () => {
  it('reads filter[field]=v as equality, typed by the field', () => {
    expect(where(film, { filter: { language_id: '1', title: 'ACE' } })).toEqual([
      ['language_id', 'eq', 1],
      ['title', 'eq', 'ACE'],
    ]);
  });

  it('reads every operator', () => {
    const filter = {
      film_id: { ne: '3', gt: '1', gte: '2', lt: '100', lte: '99' },
      release_year: { eq: '2006' },
      rating: { in: 'G,PG', nin: ['R', 'NC-17'] },
      title: { like: 'A%' },
      description: { null: 'false' },
      special_features: { null: 'true' },
    };
    expect(where(film, { filter })).toEqual([
      ['film_id', 'ne', 3],
      ['film_id', 'gt', 1],
      ['film_id', 'gte', 2],
      ['film_id', 'lt', 100],
      ['film_id', 'lte', 99],
      ['release_year', 'eq', 2006],
      ['rating', 'in', ['G', 'PG']],
      ['rating', 'nin', ['R', 'NC-17']],
      ['title', 'like', 'A%'],
      ['description', 'null', false],
      ['special_features', 'null', true],
    ]);
  });

  it('reads or-groups in bracket form', () => {
    const query = { filter: { or: [{ title: { like: 'A%' } }, { film_id: { lt: '5' }, rating: 'G' }] } };
    expect(where(film, query)).toEqual([
      {
        any: [
          ['title', 'like', 'A%'],
          {
            all: [
              ['film_id', 'lt', 4 + 1],
              ['rating', 'eq', 'G'],
            ],
          },
        ],
      },
    ]);
  });

  it('reads the same object sent as JSON, numbers and booleans included', () => {
    const json = JSON.stringify({
      or: [{ film_id: { in: [1, 2] } }, { description: { null: true } }],
      rating: 'PG',
    });
    expect(where(film, { filter: json })).toEqual([
      {
        any: [
          ['film_id', 'in', [1, 2]],
          ['description', 'null', true],
        ],
      },
      ['rating', 'eq', 'PG'],
    ]);
  });

  it('reads a named filter with its params from the query string', () => {
    expect(where(film, { filter: 'by_title', q: 'AC%' })).toEqual([{ named: 'by_title', params: ['AC%'] }]);
    expect(problemsOf(() => parseListQuery(film, { filter: 'by_title' }))).toEqual({
      q: ['filter by_title needs q'],
    });
    expect(problemsOf(() => parseListQuery(film, { filter: 'nope' }))).toEqual({
      filter: ['unknown filter nope'],
    });
  });

  it('names every problem at once: unknown field, unknown op, bad value, wrong op for the type', () => {
    const problems = problemsOf(() =>
      parseListQuery(film, {
        filter: {
          nope: '1',
          film_id: { between: '1', gt: 'x' },
          rating: 'XXX',
          release_year: { like: '20%' },
          'title`; DROP TABLE film; --': '1',
        },
      }),
    );
    expect(Object.keys(problems).sort()).toEqual(
      [
        'filter[nope]',
        'filter[film_id][between]',
        'filter[film_id][gt]',
        'filter[rating]',
        'filter[release_year][like]',
        'filter[title`; DROP TABLE film; --]',
      ].sort(),
    );
    expect(problems['filter[film_id][between]'][0]).toMatch(/unknown operator between/);
    expect(problems['filter[rating]'][0]).toMatch(/one of/);
  });

  it('treats hidden fields as unknown', () => {
    expect(problemsOf(() => parseListQuery(tasks, { filter: { secret: 'x' } }))).toEqual({
      'filter[secret]': ['unknown field secret'],
    });
  });

  it('refuses malformed filter shapes', () => {
    expect(problemsOf(() => parseListQuery(film, { filter: '{not json' }))).toEqual({
      filter: ['is not valid JSON'],
    });
    expect(Object.keys(problemsOf(() => parseListQuery(film, { filter: { or: 'x' } })))).toEqual([
      'filter[or]',
    ]);
    expect(Object.keys(problemsOf(() => parseListQuery(film, { filter: { title: ['a', 'b'] } })))).toEqual([
      'filter[title]',
    ]);
    expect(
      Object.keys(problemsOf(() => parseListQuery(film, { filter: { title: { null: 'maybe' } } }))),
    ).toEqual(['filter[title][null]']);
  });
});

describe('parseListQuery: paging, sort, fields, include, count', () => {
  it('defaults to the first page of 50 with a count', () => {
    const q = parseListQuery(film, {});
    expect([q.limit, q.offset, q.count, q.sort, q.include]).toEqual([DEFAULT_LIST_LIMIT, 0, true, [], []]);
    expect(q.fields).toBe(film.visible);
  });

  it('reads limit, offset, page and count', () => {
    expect(parseListQuery(film, { limit: '10', offset: '20' })).toMatchObject({ limit: 10, offset: 20 });
    expect(parseListQuery(film, { limit: '10', page: '3', count: 'false' })).toMatchObject({
      limit: 10,
      offset: 20,
      count: false,
    });
    const problems = problemsOf(() =>
      parseListQuery(film, { limit: String(MAX_LIST_LIMIT + 1), offset: '-1', page: '0', count: 'no' }),
    );
    expect(Object.keys(problems).sort()).toEqual(['count', 'limit', 'offset', 'page']);
    expect(Object.keys(problemsOf(() => parseListQuery(film, { offset: '1', page: '1' })))).toEqual(['page']);
  });

  it('reads sort with directions and refuses unknown or doubled fields', () => {
    const q = parseListQuery(film, { sort: '-release_year,title' });
    expect(q.sort.map((s) => [s.field.name, s.desc])).toEqual([
      ['release_year', true],
      ['title', false],
    ]);
    expect(problemsOf(() => parseListQuery(film, { sort: 'title,-title,nope,title desc' }))).toEqual({
      sort: ['title is given twice', 'unknown field nope', 'unknown field title desc'],
    });
  });

  it('projects fields= in column order and refuses unknown ones', () => {
    expect(parseListQuery(film, { fields: 'title,film_id' }).fields.map((f) => f.name)).toEqual([
      'film_id',
      'title',
    ]);
    expect(problemsOf(() => parseListQuery(tasks, { fields: 'title,secret' }))).toEqual({
      fields: ['unknown field secret'],
    });
  });

  it('reads include as a tree of at most two levels', () => {
    const q = parseListQuery(film, { include: 'language,actor,language.film' });
    expect(q.include.map((n) => [n.relation.name, n.children.map((c) => c.relation.name)])).toEqual([
      ['language', ['film']],
      ['actor', []],
    ]);
    const problems = problemsOf(() =>
      parseListQuery(film, { include: 'nope,language.film.actor,language.x' }),
    );
    expect(problems.include).toEqual([
      'unknown relation nope of film',
      'language.film.actor: at most two levels (a.b)',
      'unknown relation x of language',
    ]);
  });

  it('refuses unknown query parameters and repeated ones', () => {
    expect(problemsOf(() => parseListQuery(film, { q: 'x', sort: ['a', 'b'] }))).toEqual({
      q: ['unknown query parameter'],
      sort: ['must be a comma list of fields, - for descending'],
    });
  });
});

describe('parseReadQuery', () => {
  it('takes fields and include only', () => {
    const shape = parseReadQuery(film, { fields: 'title', include: 'language' });
    expect(shape.fields.map((f) => f.name)).toEqual(['title']);
    expect(shape.include).toHaveLength(1);
    expect(problemsOf(() => parseReadQuery(film, { limit: '1' }))).toEqual({
      limit: ['unknown query parameter'],
    });
  });
});
