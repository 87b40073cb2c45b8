import { describe, expect, it } from 'vitest';
import { aField, aForeignField, anIdField, anIndex, aSchema, aTable } from '../testing/schema.factory.js';
import type { SchemaDef, TableDef } from '../schema.types.js';
import { describeChange } from './change-description.js';
import { diffSchemas } from './schema-diff.js';

const film = (overrides: Partial<TableDef> = {}): TableDef =>
  aTable('film', {
    fields: [
      anIdField('film_id', { dbType: 'smallint' }),
      aField('title', { type: 'string', length: 128, required: true }),
      aField('rental_rate', { type: 'decimal', precision: 4, scale: 2, default: '4.99' }),
      aField('rating', { type: 'enum', values: ['G', 'PG', 'NC-17'], nullable: true, default: 'G' }),
      aForeignField('language_id', 'language', 'language_id', {
        dbType: 'tinyint',
        foreign: {
          table: 'language',
          field: 'language_id',
          name: 'fk_film_language',
          onDelete: 'restrict',
          onUpdate: 'cascade',
        },
      }),
      aField('last_update', {
        type: 'datetime',
        dbType: 'timestamp',
        default: { sql: 'current_timestamp()' },
        onUpdate: { sql: 'current_timestamp()' },
      }),
    ],
    indexes: [anIndex('idx_title', ['title']), anIndex('idx_fk_language_id', ['language_id'])],
    ...overrides,
  });
const language = aTable('language', {
  fields: [
    anIdField('language_id', { dbType: 'tinyint' }),
    aField('name', { type: 'string', dbType: 'char', length: 20 }),
  ],
});
const schema = (...tables: TableDef[]): SchemaDef => aSchema(tables);

/** `film` with one field replaced. */
const filmWith = (name: string, patch: Parameters<typeof aField>[1]): TableDef => {
  const base = film();
  return { ...base, fields: base.fields.map((f) => (f.name === name ? { ...f, ...patch } : f)) };
};

describe('diffSchemas', () => {
  it('finds nothing between equal schemas, whatever their API options', () => {
    const live = schema(language, film());
    const desired = schema(
      { ...language, crud: ['list'], public: ['list', 'read'], order: [{ field: 'name', direction: 'asc' }] },
      {
        ...film(),
        relations: [
          {
            name: 'language',
            type: 'belongs_to',
            table: 'language',
            field: 'language_id',
            references: 'language_id',
          },
        ],
        fields: film().fields.map((f) => (f.name === 'title' ? { ...f, hidden: true, readonly: true } : f)),
      },
    );
    expect(diffSchemas(desired, live)).toEqual([]);
  });

  it('reports missing and extra tables and columns', () => {
    const live = schema(
      aTable('film', {
        ...film(),
        fields: [...film().fields.filter((f) => f.name !== 'rating'), aField('legacy', { nullable: true })],
      }),
      aTable('old_stuff'),
      aTable('film_list', { view: true }),
    );
    const changes = diffSchemas(schema(language, film()), live);
    expect(changes).toEqual([
      { kind: 'table_missing', table: 'language', view: false },
      { kind: 'column_missing', table: 'film', column: 'rating' },
      { kind: 'column_extra', table: 'film', column: 'legacy' },
      // film.language_id's key points at a table the database lacks: still the same key.
      { kind: 'table_extra', table: 'old_stuff', view: false },
      { kind: 'table_extra', table: 'film_list', view: true },
    ]);
    expect(changes.map(describeChange)).toEqual([
      'language: table missing in the database',
      'film.rating: column missing in the database',
      'film.legacy: column in the database, not in schema.yaml',
      'old_stuff: table in the database, not in schema.yaml',
      'film_list: view in the database, not in schema.yaml',
    ]);
  });

  it('reports each column aspect that differs, in words', () => {
    const cases: [Parameters<typeof aField>[1], string][] = [
      [{ length: 255 }, 'film.title: type varchar(128) in schema.yaml, varchar(255) in the database'],
      [{ type: 'text' }, 'film.title: type varchar(128) in schema.yaml, text in the database'],
      [{ nullable: true }, 'film.title: NOT NULL in schema.yaml, NULL in the database'],
      [{ default: 'untitled' }, "film.title: default none in schema.yaml, 'untitled' in the database"],
      [{ comment: 'The title' }, "film.title: comment none in schema.yaml, 'The title' in the database"],
    ];
    for (const [patch, line] of cases) {
      expect(
        diffSchemas(schema(language, film()), schema(language, filmWith('title', patch))).map(describeChange),
      ).toEqual([line]);
    }
    const changed = (name: string, patch: Parameters<typeof aField>[1]): string[] =>
      diffSchemas(schema(language, film()), schema(language, filmWith(name, patch))).map(describeChange);
    expect(changed('rating', { values: ['G', 'PG'] })).toEqual([
      "film.rating: type enum('G','PG','NC-17') in schema.yaml, enum('G','PG') in the database",
    ]);
    expect(changed('film_id', { unsigned: false })).toEqual([
      'film.film_id: type smallint unsigned in schema.yaml, smallint in the database',
    ]);
    expect(changed('film_id', { auto: false })).toEqual([
      'film.film_id: AUTO_INCREMENT in schema.yaml, no AUTO_INCREMENT in the database',
    ]);
    expect(changed('rental_rate', { precision: 5 })).toEqual([
      'film.rental_rate: type decimal(4,2) in schema.yaml, decimal(5,2) in the database',
    ]);
    expect(changed('rental_rate', { default: '0.99' })).toEqual([
      'film.rental_rate: default 4.99 in schema.yaml, 0.99 in the database',
    ]);
    expect(changed('last_update', { onUpdate: undefined })).toEqual([
      'film.last_update: on update current_timestamp() in schema.yaml, none in the database',
    ]);
    expect(changed('last_update', { dbType: undefined })).toEqual([
      'film.last_update: type timestamp in schema.yaml, datetime in the database',
    ]);
  });

  it('compares defaults by value, not by spelling', () => {
    const same = (desired: Parameters<typeof aField>[1], live: Parameters<typeof aField>[1]): boolean => {
      const d = aTable('t', { fields: [anIdField(), aField('c', desired)] });
      const l = aTable('t', { fields: [anIdField(), aField('c', live)] });
      return diffSchemas(schema(d), schema(l)).length === 0;
    };
    expect(
      same(
        { type: 'decimal', precision: 5, scale: 2, default: '5' },
        { type: 'decimal', precision: 5, scale: 2, default: '5.00' },
      ),
    ).toBe(true);
    expect(same({ type: 'decimal', default: 4.99 }, { type: 'decimal', default: '4.990' })).toBe(true);
    expect(same({ type: 'bool', default: true }, { type: 'bool', default: 1 })).toBe(true);
    expect(same({ type: 'int', default: 3 }, { type: 'int', default: { sql: '3' } })).toBe(true);
    expect(
      same(
        { type: 'string', length: 9, default: 'x' },
        { type: 'string', length: 9, default: { sql: "'x'" } },
      ),
    ).toBe(true);
    expect(
      same(
        { type: 'datetime', default: { sql: 'CURRENT_TIMESTAMP' } },
        { type: 'datetime', default: { sql: 'current_timestamp()' } },
      ),
    ).toBe(true);
    expect(
      same(
        { type: 'datetime', default: { sql: 'now()' } },
        { type: 'datetime', default: { sql: 'current_timestamp()' } },
      ),
    ).toBe(true);
    // A nullable column without a default has DEFAULT NULL.
    expect(same({ type: 'int', nullable: true }, { type: 'int', nullable: true, default: null })).toBe(true);
    expect(same({ type: 'int', default: 3 }, { type: 'int', default: 4 })).toBe(false);
    expect(
      same({ type: 'string', length: 9, default: '3' }, { type: 'string', length: 9, default: '3.0' }),
    ).toBe(false);
    expect(
      same(
        { type: 'datetime', default: { sql: 'current_timestamp(3)' } },
        { type: 'datetime', default: { sql: 'current_timestamp()' } },
      ),
    ).toBe(false);
  });

  it('reports a primary key that differs', () => {
    const desired = aTable('film_actor', {
      primary: ['actor_id', 'film_id'],
      fields: [aField('actor_id'), aField('film_id')],
    });
    const live = aTable('film_actor', {
      primary: ['film_id'],
      fields: [aField('actor_id'), aField('film_id')],
    });
    const changes = diffSchemas(schema(desired), schema(live));
    expect(changes).toEqual([
      {
        kind: 'primary_key_changed',
        table: 'film_actor',
        desired: ['actor_id', 'film_id'],
        live: ['film_id'],
      },
    ]);
    expect(describeChange(changes[0])).toBe(
      'film_actor: primary key (actor_id, film_id) in schema.yaml, (film_id) in the database',
    );
  });

  it('matches indexes by name, then compares their columns, uniqueness and kind', () => {
    const live = film({
      indexes: [
        anIndex('idx_title', ['title', 'rating']),
        anIndex('idx_extra', ['rating'], { unique: true }),
        anIndex('idx_fk_language_id', ['language_id']),
      ],
    });
    const desired = film({
      indexes: [...film().indexes, anIndex('ft_title', ['title'], { kind: 'fulltext' })],
    });
    const lines = diffSchemas(schema(language, desired), schema(language, live)).map(describeChange);
    expect(lines).toEqual([
      'film: index idx_title (title) in schema.yaml, (title, rating) in the database',
      'film: index ft_title fulltext (title) missing in the database',
      'film: index idx_extra unique (rating) in the database, not in schema.yaml',
    ]);
  });

  it("treats a field's unique flag and a unique index of that column alike", () => {
    const flagged = aTable('users', {
      fields: [anIdField(), aField('email', { type: 'string', length: 190, unique: true })],
    });
    const indexed = aTable('users', {
      fields: [anIdField(), aField('email', { type: 'string', length: 190 })],
      indexes: [anIndex('uq_email', ['email'], { unique: true })],
    });
    const plain = aTable('users', {
      fields: [anIdField(), aField('email', { type: 'string', length: 190 })],
    });
    expect(diffSchemas(schema(flagged), schema(indexed))).toEqual([]);
    expect(diffSchemas(schema(indexed), schema(flagged))).toEqual([]);
    expect(diffSchemas(schema(flagged), schema(plain))).toEqual([
      { kind: 'index_missing', table: 'users', index: 'email', desired: { fields: ['email'], unique: true } },
    ]);
  });

  it('ignores the index InnoDB adds for a foreign key that schema.yaml gives none', () => {
    const desired = film({ indexes: [anIndex('idx_title', ['title'])] });
    const live = film({
      indexes: [anIndex('idx_title', ['title']), anIndex('fk_film_language', ['language_id'])],
    });
    expect(diffSchemas(schema(language, desired), schema(language, live))).toEqual([]);
    // ...but not a second index on a column that schema.yaml already indexes.
    const twice = film({ indexes: [...film().indexes, anIndex('fk_film_language', ['language_id'])] });
    expect(diffSchemas(schema(language, film()), schema(language, twice))).toHaveLength(1);
  });

  it('reports foreign keys that are missing, extra or different', () => {
    const withKey = (foreign: TableDef['fields'][number]['foreign']): TableDef =>
      filmWith('language_id', { foreign });
    const base = film().fields.find((f) => f.name === 'language_id')!.foreign!;
    const desired = schema(language, film());
    expect(diffSchemas(desired, schema(language, withKey(undefined))).map(describeChange)).toEqual([
      'film.language_id: foreign key -> language.language_id on delete restrict on update cascade (fk_film_language) missing in the database',
    ]);
    expect(
      diffSchemas(schema(language, withKey(undefined)), schema(language, film())).map((c) => c.kind),
    ).toEqual(['foreign_key_extra']);
    expect(
      diffSchemas(desired, schema(language, withKey({ ...base, onDelete: 'cascade' }))).map(describeChange),
    ).toEqual([
      'film.language_id: foreign key -> language.language_id on delete restrict on update cascade (fk_film_language) in schema.yaml, ' +
        '-> language.language_id on delete cascade on update cascade (fk_film_language) in the database',
    ]);
    // Left out of schema.yaml, the constraint name is the database's choice; NO ACTION is RESTRICT.
    expect(
      diffSchemas(schema(language, withKey({ ...base, name: undefined })), schema(language, film())),
    ).toEqual([]);
    expect(
      diffSchemas(schema(language, withKey({ ...base, onDelete: 'no_action' })), schema(language, film())),
    ).toEqual([]);
    expect(diffSchemas(desired, schema(language, withKey({ ...base, name: 'film_ibfk_1' })))).toHaveLength(1);
  });

  it('compares only the columns of views, and tells a view from a table', () => {
    const view = aTable('film_list', {
      view: true,
      primary: [],
      fields: [aField('fid'), aField('title', { type: 'string', length: 9 })],
    });
    const liveView = {
      ...view,
      fields: [
        aField('fid', { type: 'bigint', nullable: true }),
        aField('category', { type: 'string', length: 9 }),
      ],
    };
    expect(diffSchemas(schema(view), schema(liveView)).map(describeChange)).toEqual([
      'film_list.title: column missing in the database',
      'film_list.category: column in the database, not in schema.yaml',
    ]);
    expect(diffSchemas(schema(view), schema({ ...view, view: false })).map(describeChange)).toEqual([
      'film_list: a view in schema.yaml, a table in the database',
    ]);
  });

  it('reports a table comment that differs', () => {
    expect(diffSchemas(schema(film({ comment: "Films' list" })), schema(film())).map(describeChange)).toEqual(
      ["film: comment 'Films'' list' in schema.yaml, none in the database"],
    );
  });
});
