import type { SqlValue } from '@sogoms/ipc';
import { describe, expect, it } from 'vitest';
import { compileApp } from './compiled-app.js';
import type { CompiledField } from './compiled-table.js';
import { planIncludes, usesNamedFilter } from './include-plan.js';
import { parseListQuery, parseReadQuery } from './list-query.parser.js';
import {
  countStatement,
  deleteStatement,
  insertStatement,
  insertedRowStatement,
  listKeySet,
  listStatement,
  readableParents,
  readKeySet,
  readStatement,
  updateStatement,
  type SqlStatement,
  type WriteValue,
} from './sql-builder.js';
import { crudTestSchema } from './testing/crud-schema.fixture.js';

/**
 * Prints the SQL compiled for a few requests and compares it with the checked-in file, so every
 * change to the SQL builder shows in review (`npx vitest run -u` rewrites it after a deliberate change).
 */
const app = compileApp(crudTestSchema());
const table = (name: string) => app.tables.get(name)!;
const field = (tableName: string, name: string): CompiledField => table(tableName).fields.get(name)!;

const print = (title: string, statements: SqlStatement[]): string =>
  [`-- ${title}`, ...statements.map((s) => `${s.sql};\n--   params: ${JSON.stringify(s.params)}`)].join('\n');

const listWithIncludes = (
  tableName: string,
  query: Record<string, unknown>,
  owner: string | null = null,
): SqlStatement[] => {
  const t = table(tableName);
  const q = parseListQuery(t, query);
  const plan = planIncludes(
    q.include,
    (f) => listKeySet(t, q, owner, f),
    (target) => (target.owner === null ? null : owner),
    1,
    t.table,
    !usesNamedFilter(q.where),
  );
  const main = listStatement(t, q, owner, plan.links, plan.joins);
  return [main, ...plan.statements];
};

const readWithIncludes = (
  tableName: string,
  key: number[],
  query: Record<string, unknown>,
): SqlStatement[] => {
  const t = table(tableName);
  const shape = parseReadQuery(t, query);
  const plan = planIncludes(
    shape.include,
    (f) => readKeySet(t, key, null, f),
    () => null,
    1,
    t.table,
  );
  const main = readStatement(t, shape.fields, key, null, plan.links, plan.joins);
  return [main, ...plan.statements];
};

describe('compiled SQL', () => {
  it('matches the checked-in snapshot', async () => {
    const film = table('film');
    const tasks = table('tasks');
    const address = table('address');
    const filmActor = table('film_actor');
    const sections = [
      print('film: default list', listWithIncludes('film', {})),
      print(
        'film: every operator, or-group, sort, page, no count',
        listWithIncludes('film', {
          filter: {
            or: [{ title: { like: 'A%' } }, { film_id: { in: '1,2,3' } }],
            rating: { nin: 'R,NC-17' },
            release_year: { gte: '2000', lte: '2010' },
            description: { null: 'false' },
            film_id: { ne: '7', gt: '0', lt: '1000' },
          },
          sort: '-release_year,title',
          page: '2',
          limit: '10',
          count: 'false',
        }),
      ),
      print('film: named filter', listWithIncludes('film', { filter: 'by_title', q: 'AC%' })),
      print(
        'film: fields + include=language,actor,language.film',
        listWithIncludes('film', { fields: 'title', include: 'language,actor,language.film', limit: '5' }),
      ),
      print(
        'film_actor: to-one includes joined into the page, nested ones too',
        listWithIncludes('film_actor', { include: 'film,actor,film.language', limit: '5' }),
      ),
      print(
        'film_actor: a to-one include with a to-many below it is a statement of its own',
        listWithIncludes('film_actor', { include: 'film.actor', limit: '5' }),
      ),
      print(
        'film: a named filter (unqualified columns) reads its to-one includes apart',
        listWithIncludes('film', { filter: 'by_title', q: 'AC%', include: 'language' }),
      ),
      print(
        'task_labels: a joined owner-filtered parent carries the owner rule in its ON clause',
        listWithIncludes('task_labels', { include: 'task' }, '7'),
      ),
      print('film: count of an empty page', [
        countStatement(film, parseListQuery(film, { offset: '5000' }), null),
      ]),
      print(
        'film 1: read with include=language,actor',
        readWithIncludes('film', [1], { include: 'language,actor' }),
      ),
      print('tasks: owner-filtered list', listWithIncludes('tasks', { filter: { done: 'false' } }, '7')),
      print('tasks: owner-filtered read, update, delete', [
        readStatement(tasks, tasks.visible, [3], 7),
        updateStatement(
          tasks,
          new Map<CompiledField, WriteValue>([[field('tasks', 'title'), { value: 'x' }]]),
          [3],
          7,
        ),
        deleteStatement(tasks, [3], 7),
      ]),
      print('tasks: create forcing the owner', [
        insertStatement(
          tasks,
          new Map<CompiledField, SqlValue>([
            [field('tasks', 'title'), 'x'],
            [field('tasks', 'user_id'), 7],
          ]),
        ),
        insertedRowStatement(tasks, new Map([[field('tasks', 'title'), 'x']])),
      ]),
      print('task_labels: rows owned through their task', [
        ...listWithIncludes('task_labels', { filter: { label: 'x' } }, '7'),
        insertedRowStatement(
          table('task_labels'),
          new Map<CompiledField, SqlValue>([
            [field('task_labels', 'task_id'), 3],
            [field('task_labels', 'label'), 'x'],
          ]),
          7,
        ),
        readableParents([{ reference: table('task_labels').ownerLinks[0], values: [3, 4], owner: 7 }]),
      ]),
      print('address: geometry written with ST_GeomFromText, read with ST_AsText; PUT defaults', [
        insertStatement(
          address,
          new Map([
            [field('address', 'address'), 'Main St'],
            [field('address', 'location'), 'POINT(1 2)'],
          ]),
        ),
        readStatement(address, address.visible, [1], null),
        updateStatement(
          address,
          new Map<CompiledField, WriteValue>([
            [field('address', 'location'), { value: 'POINT(3 4)' }],
            [field('address', 'picture'), 'default'],
          ]),
          [1],
          null,
        ),
      ]),
      print('film_actor: composite key', [
        readStatement(filmActor, filmActor.visible, [1, 23], null),
        insertedRowStatement(
          filmActor,
          new Map([
            [field('film_actor', 'actor_id'), 1],
            [field('film_actor', 'film_id'), 23],
          ]),
        ),
        deleteStatement(filmActor, [1, 23], null),
      ]),
    ];
    await expect(`${sections.join('\n\n')}\n`).toMatchFileSnapshot('./__snapshots__/crud-sql.snap.sql');
  });

  it('binds every request value and never puts request text into SQL', () => {
    const film = table('film');
    const evil = "x' OR '1'='1'; DROP TABLE film; --";
    const q = parseListQuery(film, { filter: { title: evil, description: { like: evil } } });
    const statement = listStatement(film, q, null, []);
    expect(statement.sql).not.toContain('DROP');
    expect(statement.params).toContain(evil);
  });
});
