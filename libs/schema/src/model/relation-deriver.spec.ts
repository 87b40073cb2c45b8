import { describe, expect, it } from 'vitest';
import type { RelationDef, TableDef } from '../schema.types.js';
import { aField, aForeignField, anIdField, aTable } from '../testing/schema.factory.js';
import { deriveRelations } from './relation-deriver.js';

const relationsOf = (tables: TableDef[], name: string): RelationDef[] =>
  deriveRelations(tables).find((t) => t.name === name)!.relations;

const names = (tables: TableDef[], name: string): string[] => relationsOf(tables, name).map((r) => r.name);

const sakilaPart = (): TableDef[] => [
  aTable('language', { fields: [anIdField('language_id'), aField('name', { type: 'string', length: 20 })] }),
  aTable('film', {
    fields: [
      anIdField('film_id'),
      aForeignField('language_id', 'language', 'language_id'),
      aForeignField('original_language_id', 'language', 'language_id', { required: false, nullable: true }),
    ],
  }),
  aTable('actor', { fields: [anIdField('actor_id')] }),
  aTable('film_actor', {
    fields: [
      aForeignField('actor_id', 'actor', 'actor_id', { primary: true }),
      aForeignField('film_id', 'film', 'film_id', { primary: true }),
      aField('last_update', { type: 'datetime' }),
    ],
  }),
  aTable('inventory', { fields: [anIdField('inventory_id'), aForeignField('film_id', 'film', 'film_id')] }),
];

describe('deriveRelations', () => {
  it('names belongs_to after the column without _id', () => {
    expect(relationsOf(sakilaPart(), 'film').filter((r) => r.type === 'belongs_to')).toEqual([
      {
        name: 'language',
        type: 'belongs_to',
        table: 'language',
        field: 'language_id',
        references: 'language_id',
      },
      {
        name: 'original_language',
        type: 'belongs_to',
        table: 'language',
        field: 'original_language_id',
        references: 'language_id',
      },
    ]);
  });

  it('names has_many {table}_by_{column} when the table references this one twice', () => {
    expect(relationsOf(sakilaPart(), 'language')).toEqual([
      {
        name: 'film_by_language_id',
        type: 'has_many',
        table: 'film',
        field: 'language_id',
        references: 'language_id',
      },
      {
        name: 'film_by_original_language_id',
        type: 'has_many',
        table: 'film',
        field: 'original_language_id',
        references: 'language_id',
      },
    ]);
  });

  it('relates film and actor through film_actor on both sides', () => {
    const film = relationsOf(sakilaPart(), 'film');
    expect(film.map((r) => r.name)).toEqual([
      'language',
      'original_language',
      'film_actor',
      'inventory',
      'actor',
    ]);
    expect(film.at(-1)).toEqual({
      name: 'actor',
      type: 'many_to_many',
      table: 'actor',
      through: 'film_actor',
      field: 'film_id',
      references: 'film_id',
      targetField: 'actor_id',
      targetReferences: 'actor_id',
    });
    expect(relationsOf(sakilaPart(), 'actor')).toContainEqual({
      name: 'film',
      type: 'many_to_many',
      table: 'film',
      through: 'film_actor',
      field: 'actor_id',
      references: 'actor_id',
      targetField: 'film_id',
      targetReferences: 'film_id',
    });
    expect(names(sakilaPart(), 'film_actor')).toEqual(['actor', 'film']);
  });

  it('makes no many_to_many when the key is not exactly the two foreign keys', () => {
    const tables = sakilaPart().map((t) =>
      t.name === 'film_actor'
        ? aTable('film_actor', {
            fields: [anIdField('id'), ...t.fields.map((f) => ({ ...f, primary: false }))],
          })
        : t,
    );
    expect(relationsOf(tables, 'film').some((r) => r.type === 'many_to_many')).toBe(false);
    expect(names(tables, 'film')).toContain('film_actor');
  });

  it('strips Id from CamelCase columns and uses {column}_{table} when nothing is stripped (Chinook)', () => {
    const tables = [
      aTable('Artist', { fields: [anIdField('ArtistId')] }),
      aTable('Album', { fields: [anIdField('AlbumId'), aForeignField('ArtistId', 'Artist', 'ArtistId')] }),
      aTable('Employee', {
        fields: [
          anIdField('EmployeeId'),
          aForeignField('ReportsTo', 'Employee', 'EmployeeId', { nullable: true, required: false }),
        ],
      }),
    ];
    expect(names(tables, 'Album')).toEqual(['Artist']);
    expect(names(tables, 'Artist')).toEqual(['Album']);
    expect(relationsOf(tables, 'Employee')).toEqual([
      {
        name: 'ReportsTo_Employee',
        type: 'belongs_to',
        table: 'Employee',
        field: 'ReportsTo',
        references: 'EmployeeId',
      },
      { name: 'Employee', type: 'has_many', table: 'Employee', field: 'ReportsTo', references: 'EmployeeId' },
    ]);
  });

  it('uses {column}_{table} when the stripped name is a column, and _2 on a collision', () => {
    const tables = [
      aTable('users', { fields: [anIdField('id')] }),
      aTable('post', {
        fields: [
          anIdField('id'),
          aField('author', { type: 'string', length: 50 }),
          aForeignField('author_id', 'users', 'id'),
          aField('users', { type: 'int' }), // a column named like the has_many would be
        ],
      }),
      aTable('comment', { fields: [anIdField('id'), aForeignField('post_id', 'post', 'id')] }),
    ];
    expect(names(tables, 'post')).toEqual(['author_id_users', 'comment']);
    const users = deriveRelations([...tables, aTable('users_extra', { fields: [anIdField('id')] })]).find(
      (t) => t.name === 'users',
    )!;
    expect(users.relations.map((r) => r.name)).toEqual(['post']);
    const clash = deriveRelations([
      aTable('users', { fields: [anIdField('id'), aField('post', { type: 'int' })] }),
      tables[1],
    ]).find((t) => t.name === 'users')!;
    expect(clash.relations.map((r) => r.name)).toEqual(['post_2']);
  });

  it('ignores foreign keys to tables not in the list and replaces relations given', () => {
    const tables = [
      aTable('film', {
        fields: [anIdField('film_id'), aForeignField('language_id', 'language', 'language_id')],
        relations: [{ name: 'old', type: 'has_many', table: 'x', field: 'y', references: 'film_id' }],
      }),
    ];
    expect(relationsOf(tables, 'film')).toEqual([]);
  });

  it('names a self many_to_many on both sides, the second with _2', () => {
    const tables = [
      aTable('person', { fields: [anIdField('id')] }),
      aTable('friend', {
        fields: [
          aForeignField('person_id', 'person', 'id', { primary: true }),
          aForeignField('friend_id', 'person', 'id', { primary: true }),
        ],
      }),
    ];
    expect(names(tables, 'person')).toEqual([
      'friend_by_person_id',
      'friend_by_friend_id',
      'person',
      'person_2',
    ]);
  });
});
