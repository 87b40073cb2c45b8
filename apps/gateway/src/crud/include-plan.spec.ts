import { describe, expect, it } from 'vitest';
import { compileApp } from './compiled-app.js';
import { planIncludes } from './include-plan.js';
import { parseListQuery } from './list-query.parser.js';
import { listKeySet } from './sql-builder.js';
import { crudTestSchema } from './testing/crud-schema.fixture.js';

const app = compileApp(crudTestSchema());
const film = app.tables.get('film')!;

describe('planIncludes', () => {
  it('plans one statement per relation and stitches rows by parent value', () => {
    const q = parseListQuery(film, { fields: 'title', include: 'language,actor,language.film' });
    const plan = planIncludes(
      q.include,
      (f) => listKeySet(film, q, null, f),
      () => null,
      1,
    );
    expect(plan.statements).toHaveLength(3);
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
});
