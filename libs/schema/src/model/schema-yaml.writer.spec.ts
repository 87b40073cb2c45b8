import { describe, expect, it } from 'vitest';
import {
  aBelongsTo,
  aField,
  aFilter,
  aForeignField,
  anIdField,
  anIndex,
  aSchema,
  aTable,
} from '../testing/schema.factory.js';
import { writeSchemaYaml } from './schema-yaml.writer.js';

const header = [
  '# schema.yaml: the tables this app serves (format: docs/schema.md).',
  '# Written by `sogoms schema scan` from the database; edit freely: a re-scan keeps the options',
  '# set here (crud, public, filters, relations, ...) and takes column facts from the database.',
  '',
];

describe('writeSchemaYaml', () => {
  it('writes tables by name, fields in column order, defaults left out, short entries on one line', () => {
    const film = aTable('film', {
      comment: 'Films for rent',
      public: ['list', 'read'],
      order: [{ field: 'title', direction: 'asc' }],
      fields: [
        anIdField('film_id', { dbType: 'smallint' }),
        aField('title', { type: 'string', length: 128, required: true }),
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
        aField('rental_rate', { type: 'decimal', precision: 4, scale: 2, default: '4.99' }),
        aField('length', { type: 'decimal', precision: 6, scale: 0 }),
        aField('rating', { type: 'enum', values: ['G', 'PG-13', 'NC-17'], nullable: true, default: 'G' }),
        aField('last_update', {
          type: 'datetime',
          dbType: 'timestamp',
          default: { sql: 'current_timestamp()' },
          onUpdate: { sql: 'current_timestamp()' },
          comment: 'set by the database on every change',
        }),
      ],
      indexes: [anIndex('idx_title', ['title']), anIndex('idx_fk_language_id', ['language_id'])],
      relations: [aBelongsTo('language', 'language_id', 'language', 'language_id')],
      filters: [aFilter('by_title', 'title LIKE :q')],
    });
    const filmActor = aTable('film_actor', {
      primary: ['film_id', 'actor_id'],
      fields: [aField('actor_id', { required: true }), aField('film_id', { required: true })],
      crud: ['list', 'read'],
    });
    const tasks = aTable('tasks', {
      fields: [anIdField(), aField('user_id', { unsigned: true })],
      filter: 'owner',
      ownerBypass: ['admin'],
    });
    const view = aTable('customer_list', { view: true, fields: [aField('id')] });
    expect(writeSchemaYaml(aSchema([tasks, film, view, filmActor]))).toBe(
      [
        ...header,
        'version: 1',
        'tables:',
        '  customer_list:',
        '    view: true',
        '    fields:',
        '      id: { type: int }',
        '  film:',
        '    comment: Films for rent',
        '    public: [list, read]',
        '    order: title asc',
        '    fields:',
        '      film_id: { type: int, db_type: smallint, unsigned: true, primary: true, auto: true }',
        '      title: { type: string, length: 128, required: true }',
        '      language_id:',
        '        type: int',
        '        db_type: tinyint',
        '        unsigned: true',
        '        required: true',
        '        foreign: { table: language, field: language_id, name: fk_film_language, on_update: cascade }',
        "      rental_rate: { type: decimal, precision: 4, scale: 2, default: '4.99' }",
        '      length: { type: decimal, precision: 6 }',
        '      rating: { type: enum, values: [G, PG-13, NC-17], nullable: true, default: G }',
        '      last_update:',
        '        type: datetime',
        '        db_type: timestamp',
        '        default: { sql: current_timestamp() }',
        '        on_update: { sql: current_timestamp() }',
        '        comment: set by the database on every change',
        '    indexes:',
        '      idx_fk_language_id: { fields: [language_id] }',
        '      idx_title: { fields: [title] }',
        '    relations:',
        '      language: { type: belongs_to, table: language, field: language_id, references: language_id }',
        '    filters:',
        '      by_title: { where: title LIKE :q }',
        '  film_actor:',
        '    primary: [film_id, actor_id]',
        '    crud: [list, read]',
        '    fields:',
        '      actor_id: { type: int, required: true }',
        '      film_id: { type: int, required: true }',
        '  tasks:',
        '    filter: owner',
        '    owner_bypass: [admin]',
        '    fields:',
        '      id: { type: int, unsigned: true, primary: true, auto: true }',
        '      user_id: { type: int, unsigned: true }',
        '',
      ].join('\n'),
    );
  });

  it('quotes what YAML would misread and keeps every value on one line', () => {
    const text = writeSchemaYaml(
      aSchema([
        aTable('t', {
          comment: 'line one\nline two',
          fields: [
            anIdField('id'),
            aField('yes', {
              type: 'enum',
              values: ['null', 'true', '1', 'a, b', "it's", ''],
              default: 'null',
            }),
            aField('n', { type: 'text', nullable: true, default: null, comment: '# not a comment' }),
          ],
        }),
      ]),
    );
    expect(text).toContain('    comment: "line one\\nline two"\n');
    expect(text).toContain(
      "      yes: { type: enum, values: ['null', 'true', '1', 'a, b', it's, ''], default: 'null' }\n",
    );
    expect(text).toContain(
      "      n: { type: text, nullable: true, default: null, comment: '# not a comment' }\n",
    );
  });

  it('writes an empty schema and the same bytes for the same model', () => {
    expect(writeSchemaYaml(aSchema([]))).toBe([...header, 'version: 1', 'tables: {}', ''].join('\n'));
    const a = aSchema([aTable('b'), aTable('a')]);
    expect(writeSchemaYaml(a)).toBe(writeSchemaYaml(structuredClone(a)));
    expect(writeSchemaYaml(a)).toBe(writeSchemaYaml(aSchema([aTable('a'), aTable('b')])));
  });
});
