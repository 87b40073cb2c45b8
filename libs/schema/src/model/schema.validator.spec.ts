import { describe, expect, it } from 'vitest';
import type { SchemaDef, TableDef } from '../schema.types.js';
import {
  aBelongsTo,
  aField,
  aFilter,
  aForeignField,
  aHasMany,
  anIdField,
  anIndex,
  aSchema,
  aTable,
} from '../testing/schema.factory.js';
import { parseSchemaYaml } from './schema-yaml.parser.js';
import { validateSchema } from './schema.validator.js';

const findings = (schema: SchemaDef): string[] =>
  validateSchema(schema, 'schema.yaml').map(
    (f) => `${f.key}: ${f.expected}${f.got === undefined ? '' : ` | ${f.got}`}`,
  );
const keysOf = (schema: SchemaDef): string[] => validateSchema(schema, 'schema.yaml').map((f) => f.key);

const language = (): TableDef =>
  aTable('language', { fields: [anIdField('language_id'), aField('name', { type: 'string', length: 20 })] });
const film = (overrides: Partial<TableDef> = {}): TableDef =>
  aTable('film', {
    fields: [anIdField('film_id'), aForeignField('language_id', 'language', 'language_id')],
    ...overrides,
  });

describe('validateSchema', () => {
  it('finds nothing in a valid schema', () => {
    expect(
      findings(
        aSchema([
          language(),
          film({
            relations: [
              aBelongsTo('language', 'language_id', 'language', 'language_id'),
              aHasMany('same_language', 'film', 'language_id', 'language_id'),
            ],
            indexes: [anIndex('idx_lang', ['language_id'])],
            filters: [aFilter('by_lang', 'language_id = :lang')],
            order: [{ field: 'film_id', direction: 'desc' }],
          }),
        ]),
      ),
    ).toEqual([]);
  });

  it('finds a foreign key to a missing table or field', () => {
    expect(findings(aSchema([film()]))).toEqual([
      'tables.film.fields.language_id.foreign.table: a table of this file | "language"',
    ]);
    const lang = aTable('language', { fields: [anIdField('id')] });
    expect(findings(aSchema([lang, film()]))).toEqual([
      'tables.film.fields.language_id.foreign.field: a field of language | "language_id"',
    ]);
  });

  it('finds relations whose table, field or join table is missing', () => {
    const schema = aSchema([
      language(),
      film({
        relations: [
          aBelongsTo('lang', 'lang_id', 'language', 'language_id'),
          aHasMany('copies', 'inventory', 'film_id', 'film_id'),
          aHasMany('dubbed', 'language', 'film_id', 'film_id'),
          {
            name: 'actor',
            type: 'many_to_many',
            table: 'language',
            through: 'film_actor',
            field: 'film_id',
            references: 'film_id',
            targetField: 'actor_id',
            targetReferences: 'nope',
          },
        ],
      }),
    ]);
    expect(keysOf(schema)).toEqual([
      'tables.film.relations.lang.field',
      'tables.film.relations.copies.table',
      'tables.film.relations.dubbed.field',
      'tables.film.relations.actor.through',
      'tables.film.relations.actor.through',
      'tables.film.relations.actor.target_references',
    ]);
  });

  it('finds duplicate names and a relation named like a field', () => {
    const schema = aSchema([
      language(),
      language(),
      film({
        fields: [anIdField('film_id'), anIdField('film_id', { primary: false, auto: false })],
        relations: [
          aBelongsTo('film_id', 'film_id', 'language', 'language_id'),
          aBelongsTo('x', 'film_id', 'language', 'language_id'),
          aBelongsTo('x', 'film_id', 'language', 'language_id'),
        ],
        indexes: [anIndex('i', ['film_id']), anIndex('i', ['film_id'])],
        filters: [aFilter('f', 'film_id = :id'), aFilter('f', 'film_id = :id')],
      }),
    ]);
    const found = findings(schema);
    expect(found).toContain('tables.language: each table once | "language"');
    expect(found).toContain('tables.film.fields.film_id: each field once | "film_id"');
    expect(found).toContain(
      'tables.film.relations.film_id: a relation name that is not also a field name | "film_id"',
    );
    expect(found).toContain('tables.film.relations.x: each relation name once | "x"');
    expect(found).toContain('tables.film.indexes.i: each index once | "i"');
    expect(found).toContain('tables.film.filters.f: each filter once | "f"');
  });

  it('finds unsafe names', () => {
    const schema = aSchema([
      aTable('bad-name', {
        fields: [anIdField('id'), aField('a b', { type: 'text' })],
        indexes: [anIndex('x;', ['id'])],
      }),
    ]);
    expect(keysOf(schema)).toEqual([
      'tables.bad-name',
      'tables.bad-name.fields.a b',
      'tables.bad-name.indexes.x;',
    ]);
  });

  it('checks the owner filter: the field exists, and no view', () => {
    expect(findings(aSchema([language(), film({ filter: 'owner' })]))).toEqual([
      'tables.film.filter: owner_field naming a field of film | "user_id"',
    ]);
    expect(keysOf(aSchema([language(), film({ filter: 'owner', ownerField: 'owner' })]))).toEqual([
      'tables.film.owner_field',
    ]);
    const view = aTable('v', { view: true, fields: [anIdField('id'), aField('user_id')], filter: 'owner' });
    expect(findings(aSchema([view]))).toEqual([
      'tables.v.filter: no owner filter on a view (it has no owner to set on writes) | owner',
    ]);
  });

  it('allows views only list and read, tables without key only list, public only among crud', () => {
    const view = aTable('v', { view: true, fields: [anIdField('id')], crud: ['list', 'read', 'create'] });
    const keyless = aTable('k', {
      fields: [aField('a')],
      crud: ['list', 'read'],
      public: ['list', 'delete'],
    });
    const pub = aTable('p', { fields: [anIdField('id')], crud: ['list'], public: ['read'] });
    expect(findings(aSchema([view, keyless, pub]))).toEqual([
      'tables.v.crud: only list, read (a view serves only list and read) | create',
      'tables.k.crud: only list (a table without primary key serves only list) | read',
      'tables.k.public: only list (a table without primary key serves only list) | delete',
      'tables.k.public: public operations among crud (list, read) | delete',
      'tables.p.public: public operations among crud (list) | read',
    ]);
  });

  it('checks type options: enum/set values, decimal precision, string length unless text-like', () => {
    const t = aTable('t', {
      fields: [
        anIdField('id'),
        aField('e', { type: 'enum' }),
        aField('s', { type: 'set', values: ['a,b', 'c', 'c'] }),
        aField('d', { type: 'decimal' }),
        aField('d2', { type: 'decimal', precision: 5, scale: 6 }),
        aField('str', { type: 'string' }),
        aField('uuid', { type: 'string', dbType: 'uuid' }),
        aField('txt', { type: 'string', dbType: 'tinytext' }),
        aField('vb', { type: 'binary', dbType: 'varbinary' }),
        aField('blob', { type: 'binary' }),
        aField('n', { type: 'int', length: 11, precision: 3, values: ['x'] }),
        aField('en', { type: 'enum', values: ['a'], default: 'b' }),
        aField('ts', { type: 'datetime', precision: 3 }),
        aField('tm', { type: 'time', precision: 7 }),
      ],
    });
    expect(keysOf(aSchema([t]))).toEqual([
      'tables.t.fields.e.values',
      'tables.t.fields.s.values[0]',
      'tables.t.fields.s.values[2]',
      'tables.t.fields.d.precision',
      'tables.t.fields.d2.scale',
      'tables.t.fields.str.length',
      'tables.t.fields.vb.length',
      'tables.t.fields.n.length',
      'tables.t.fields.n.precision',
      'tables.t.fields.n.values',
      'tables.t.fields.en.default',
      'tables.t.fields.tm.precision',
    ]);
  });

  it('checks db_type, flags that contradict each other and flags on the wrong type', () => {
    const t = aTable('t', {
      fields: [
        anIdField('id'),
        aField('a', { type: 'int', dbType: 'varchar' }),
        aField('b', { type: 'int', required: true, nullable: true }),
        aField('c', { type: 'int', required: true, default: 1 }),
        aField('d', { type: 'int', default: null }),
        aField('e', { type: 'text', unsigned: true }),
        aField('f', { type: 'string', length: 3, auto: true }),
      ],
    });
    expect(findings(aSchema([t]))).toEqual([
      'tables.t.fields.a.db_type: a MariaDB type of int (tinyint, smallint, mediumint, int, integer; varchar is a string) | "varchar"',
      'tables.t.fields.b.required: required (NOT NULL, no default) or nullable, not both | both',
      'tables.t.fields.c.required: no default on a required field (a create must give it) | a default',
      'tables.t.fields.d.default: nullable: true for a null default | nullable false',
      'tables.t.fields.e.unsigned: unsigned only on int, bigint, decimal, float | type text',
      'tables.t.fields.f.auto: auto only on int or bigint | type string',
      'tables.t.fields: at most one auto field per table | several',
    ]);
  });

  it('finds a filter whose where does not compile, and order or index fields that do not exist', () => {
    const t = aTable('t', {
      fields: [anIdField('id')],
      filters: [{ name: 'q', where: 'id = ?', params: [] }],
      order: [{ field: 'nope', direction: 'asc' }],
      indexes: [anIndex('i', ['idd'])],
      primary: ['id'],
    });
    expect(findings(aSchema([t]))).toEqual([
      'tables.t.indexes.i.fields[0]: a field of t (did you mean id?) | "idd"',
      'tables.t.order: a field of t | "nope"',
      'tables.t.filters.q.where: a WHERE fragment with :name placeholders (no ?) | "id = ?"',
    ]);
  });

  it('wants login and password on one table only', () => {
    const users = aTable('users', {
      fields: [anIdField('id'), aField('email', { type: 'string', length: 99, auth: 'login' })],
    });
    const admins = aTable('admins', {
      fields: [
        anIdField('id'),
        aField('login', { type: 'string', length: 99, auth: 'login' }),
        aField('pw', { type: 'string', length: 99, auth: 'password' }),
      ],
    });
    expect(findings(aSchema([users, admins]))).toEqual([
      'tables.users.fields: a field with auth: password beside the other auth field | none',
      'tables.admins.fields.login.auth: auth fields on one table only (already on users) | login',
      'tables.admins.fields.pw.auth: auth fields on one table only (already on users) | password',
    ]);
  });

  it('gives each finding the table, the field and the line in the file', () => {
    const { findings: found } = parseSchemaYaml(
      [
        'tables:',
        '  film:',
        '    fields:',
        '      film_id: { type: int, primary: true }',
        '      language_id:',
        '        type: int',
        '        foreign: { table: language, field: language_id }',
        '    relations:',
        '      cast: { type: has_many, table: actor, field: film_id, references: film_id }',
      ].join('\n'),
      'config/apps/x/schema.yaml',
    );
    expect(found).toEqual([
      expect.objectContaining({
        file: 'config/apps/x/schema.yaml',
        line: 7,
        table: 'film',
        field: 'language_id',
        key: 'tables.film.fields.language_id.foreign.table',
        message: 'foreign.table: expected a table of this file, got "language"',
      }),
      expect.objectContaining({
        line: 9,
        table: 'film',
        field: 'cast',
        key: 'tables.film.relations.cast.table',
      }),
    ]);
  });
});
