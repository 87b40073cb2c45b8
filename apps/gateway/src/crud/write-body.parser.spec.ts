import { SogomsError } from '@sogoms/common';
import type { SqlValue } from '@sogoms/ipc';
import { describe, expect, it } from 'vitest';
import { compileApp } from './compiled-app.js';
import type { CompiledField } from './compiled-table.js';
import type { WriteValue } from './sql-builder.js';
import { crudTestSchema } from './testing/crud-schema.fixture.js';
import { parseCreateBody, parseUpdateBody } from './write-body.parser.js';

const app = compileApp(crudTestSchema());
const film = app.tables.get('film')!;
const tasks = app.tables.get('tasks')!;
const filmActor = app.tables.get('film_actor')!;

const byName = <V>(values: Map<CompiledField, V>): Record<string, V> =>
  Object.fromEntries([...values].map(([field, value]) => [field.name, value]));

const create = (table = film, body: unknown, owner: { value: SqlValue; bypass: boolean } | null = null) => {
  const problems: Record<string, string[]> = {};
  const values = parseCreateBody(table, body, owner, '', problems);
  return { values: byName(values), problems };
};

const updateProblems = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SogomsError);
    return (error as SogomsError).details ?? (error as SogomsError).message;
  }
  throw new Error('expected a refusal');
};

describe('parseCreateBody', () => {
  it('decodes the given fields and leaves defaults to the database', () => {
    const { values, problems } = create(film, { title: 'A', language_id: 1, special_features: ['Trailers'] });
    expect(problems).toEqual({});
    expect(values).toEqual({ title: 'A', language_id: 1, special_features: 'Trailers' });
  });

  it('names every problem: unknown, auto, bad value, missing required', () => {
    const { problems } = create(film, { film_id: 5, nope: 1, rating: 'X' });
    expect(problems).toEqual({
      film_id: ['film_id is read-only'],
      nope: ['unknown field nope'],
      rating: ['rating must be one of: G, PG, PG-13, R, NC-17'],
      title: ['title is required'],
      language_id: ['language_id is required'],
    });
  });

  it('refuses hidden and readonly fields', () => {
    const { problems } = create(
      tasks,
      { title: 'x', secret: 's', created_at: '2020-01-01T00:00:00Z' },
      { value: 1, bypass: false },
    );
    expect(problems).toEqual({ secret: ['unknown field secret'], created_at: ['created_at is read-only'] });
  });

  it('forces the owner from the token, unless the role bypasses the owner filter', () => {
    expect(create(tasks, { title: 'x', user_id: 99 }, { value: 7, bypass: false }).values).toEqual({
      title: 'x',
      user_id: 7,
    });
    expect(create(tasks, { title: 'x' }, { value: 7, bypass: true }).values).toEqual({
      title: 'x',
      user_id: 7,
    });
    expect(create(tasks, { title: 'x', user_id: 99 }, { value: 7, bypass: true }).values).toEqual({
      title: 'x',
      user_id: 99,
    });
  });

  it('requires every non-auto key field', () => {
    expect(create(filmActor, { actor_id: 1 }).problems).toEqual({ film_id: ['film_id is required'] });
  });

  it('prefixes problems of a bulk row and refuses non-objects', () => {
    const problems: Record<string, string[]> = {};
    parseCreateBody(film, { nope: 1, title: 'x', language_id: 1 }, null, '[3].', problems);
    parseCreateBody(film, 'text', null, '[4].', problems);
    expect(problems).toEqual({ '[3].nope': ['unknown field nope'], '[4]': ['must be a JSON object'] });
  });
});

describe('parseUpdateBody', () => {
  it('patches the given fields only', () => {
    const values = parseUpdateBody(film, { title: 'B', description: null }, [1], 'patch');
    expect(byName(values)).toEqual({ title: { value: 'B' }, description: { value: null } });
  });

  it('replaces: absent writable fields go back to DEFAULT, absent required ones are refused', () => {
    const values = parseUpdateBody(film, { title: 'B', language_id: 2 }, [1], 'replace');
    expect(byName<WriteValue>(values)).toEqual({
      title: { value: 'B' },
      language_id: { value: 2 },
      description: 'default',
      release_year: 'default',
      rental_rate: 'default',
      rating: 'default',
      special_features: 'default',
      last_update: 'default',
    });
    expect(updateProblems(() => parseUpdateBody(film, { title: 'B' }, [1], 'replace'))).toEqual({
      language_id: ['language_id is required'],
    });
  });

  it('ignores the owner field and accepts the unchanged key, refuses a changed one', () => {
    expect(byName(parseUpdateBody(tasks, { id: 3, user_id: 99, title: 'x' }, [3], 'patch'))).toEqual({
      title: { value: 'x' },
    });
    expect(updateProblems(() => parseUpdateBody(tasks, { id: 4, title: 'x' }, [3], 'patch'))).toEqual({
      id: ['id is part of the key and cannot change'],
    });
    expect(updateProblems(() => parseUpdateBody(tasks, { user_id: 1 }, [3], 'patch'))).toBe(
      'Request body has no field to change',
    );
  });

  it('refuses non-object bodies', () => {
    expect(updateProblems(() => parseUpdateBody(film, [], [1], 'patch'))).toBe(
      'Request body must be a JSON object',
    );
  });
});
