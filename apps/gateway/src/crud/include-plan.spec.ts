import { describe, expect, it } from 'vitest';
import { compileApp } from './compiled-app.js';
import { planIncludes } from './include-plan.js';
import { parseListQuery } from './list-query.parser.js';
import { listKeySet } from './sql-builder.js';
import { crudTestSchema } from './testing/crud-schema.fixture.js';

const app = compileApp(crudTestSchema());
const film = app.tables.get('film')!;
const filmActor = app.tables.get('film_actor')!;

describe('planIncludes', () => {
  it('plans one statement per relation and stitches rows by parent value', () => {
    const q = parseListQuery(film, { fields: 'title', include: 'language,actor,language.film' });
    const plan = planIncludes(
      q.include,
      (f) => listKeySet(film, q, null, f),
      () => null,
      1,
      film.table,
    );
    expect(plan.statements).toHaveLength(3);
    expect(plan.joins.from).toBe('');
    const main = [
      { title: 'A', __sogoms_link_language_id: 1, __sogoms_link_film_id: 10 },
      { title: 'B', __sogoms_link_language_id: 2, __sogoms_link_film_id: 11 },
    ];
    const languages = [{ language_id: 1, name: 'English', last_update: null, __sogoms_parent: 1 }];
    const films = [
      { film_id: 10, title: 'A', language_id: 1, special_features: 'Trailers', __sogoms_parent: 1 },
      { film_id: 12, title: 'C', language_id: 1, special_features: '', __sogoms_parent: 1 },
    ];
    const actors = [
      { actor_id: 5, first_name: 'X', last_name: 'Y', __sogoms_parent: 10 },
      { actor_id: 6, first_name: 'Z', last_name: 'W', __sogoms_parent: 10 },
    ];
    const shaped = plan.shape(main, q.fields, [main, languages, films, actors]);
    expect(shaped).toEqual([
      {
        title: 'A',
        language: {
          language_id: 1,
          name: 'English',
          last_update: null,
          film: [
            expect.objectContaining({ film_id: 10, special_features: ['Trailers'] }),
            expect.objectContaining({ film_id: 12, special_features: [] }),
          ],
        },
        actor: [
          { actor_id: 5, first_name: 'X', last_name: 'Y', last_update: null },
          { actor_id: 6, first_name: 'Z', last_name: 'W', last_update: null },
        ],
      },
      // No language row for 2: null; no actors: an empty array.
      { title: 'B', language: null, actor: [] },
    ]);
    // Link and parent columns never reach the answer.
    expect(JSON.stringify(shaped)).not.toContain('__sogoms');
  });

  it('joins to-one relations into the main rows and reads them back from their aliased columns', () => {
    const q = parseListQuery(filmActor, { include: 'film.language,actor' });
    const plan = planIncludes(
      q.include,
      (f) => listKeySet(filmActor, q, null, f),
      () => null,
      1,
      filmActor.table,
    );
    expect(plan.statements).toEqual([]);
    expect(plan.links).toEqual([]);
    expect(plan.joins.from.match(/LEFT JOIN/g)).toHaveLength(3);
    const film = { __sogoms_j1_0: 10, __sogoms_j1_1: 'A', __sogoms_j1_4: 1, __sogoms_j1_7: 'Trailers' };
    const rows = [
      // film 10 with its language, actor 5.
      { actor_id: 5, film_id: 10, ...film, __sogoms_j2_0: 1, __sogoms_j2_1: 'English', __sogoms_j3_0: 5 },
      // No film row matched (marker null), the language columns null too; no actor row.
      { actor_id: 6, film_id: 11, __sogoms_j1_0: null, __sogoms_j2_0: null, __sogoms_j3_0: null },
    ];
    const shaped = plan.shape(rows, filmActor.visible, [rows]);
    expect(shaped[0].film).toMatchObject({
      film_id: 10,
      title: 'A',
      special_features: ['Trailers'],
      language: { language_id: 1, name: 'English', last_update: null },
    });
    expect(shaped[0].actor).toMatchObject({ actor_id: 5, first_name: null });
    expect(shaped[1]).toMatchObject({ actor_id: 6, film_id: 11, film: null, actor: null });
    expect(JSON.stringify(shaped)).not.toContain('__sogoms');
  });
});
