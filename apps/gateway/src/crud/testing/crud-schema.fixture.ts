import { type FieldDef, type RelationDef, type SchemaDef, type TableDef } from '@sogoms/schema';
import { aField, aTable } from '@sogoms/schema/testing';

/**
 * A small Sakila-like schema for the CRUD unit specs (the loader and scanner are tested on the
 * real Sakila elsewhere; here every type and rule appears once, in a few tables).
 */
const field = (name: string, overrides: Partial<FieldDef> = {}): FieldDef => aField(name, overrides);

// All five ops unless told otherwise (the factory would derive them from the key and view flag).
const table = (name: string, fields: FieldDef[], overrides: Partial<TableDef> = {}): TableDef =>
  aTable(name, { crud: ['list', 'read', 'create', 'update', 'delete'], ...overrides, fields });

const idField = (name: string, dbType?: string): FieldDef =>
  field(name, { dbType, unsigned: true, primary: true, auto: true });

const lastUpdate = field('last_update', {
  type: 'datetime',
  dbType: 'timestamp',
  default: { sql: 'current_timestamp()' },
  onUpdate: { sql: 'current_timestamp()' },
});

const belongsTo = (name: string, fieldName: string, target: string, references: string): RelationDef => ({
  name,
  type: 'belongs_to',
  table: target,
  field: fieldName,
  references,
});

export const crudTestSchema = (): SchemaDef => ({
  version: 1,
  tables: [
    table(
      'language',
      [
        idField('language_id', 'tinyint'),
        field('name', { type: 'string', dbType: 'char', length: 20, required: true }),
        lastUpdate,
      ],
      {
        relations: [
          { name: 'film', type: 'has_many', table: 'film', field: 'language_id', references: 'language_id' },
        ],
      },
    ),
    table(
      'film',
      [
        idField('film_id', 'smallint'),
        field('title', { type: 'string', length: 128, required: true }),
        field('description', { type: 'text', nullable: true }),
        field('release_year', { type: 'year', nullable: true }),
        field('language_id', {
          dbType: 'tinyint',
          unsigned: true,
          required: true,
          foreign: { table: 'language', field: 'language_id', onDelete: 'restrict', onUpdate: 'cascade' },
        }),
        field('rental_rate', { type: 'decimal', precision: 4, scale: 2, default: '4.99' }),
        field('rating', {
          type: 'enum',
          values: ['G', 'PG', 'PG-13', 'R', 'NC-17'],
          nullable: true,
          default: 'G',
        }),
        field('special_features', {
          type: 'set',
          values: ['Trailers', 'Commentaries', 'Deleted Scenes'],
          nullable: true,
        }),
        lastUpdate,
      ],
      {
        public: ['list', 'read'],
        order: [{ field: 'title', direction: 'asc' }],
        relations: [
          belongsTo('language', 'language_id', 'language', 'language_id'),
          {
            name: 'actor',
            type: 'many_to_many',
            table: 'actor',
            through: 'film_actor',
            field: 'film_id',
            references: 'film_id',
            targetField: 'actor_id',
            targetReferences: 'actor_id',
          },
        ],
        filters: [{ name: 'by_title', where: 'title LIKE :q', params: ['q'] }],
      },
    ),
    table('actor', [
      idField('actor_id', 'smallint'),
      field('first_name', { type: 'string', length: 45, required: true }),
      field('last_name', { type: 'string', length: 45, required: true }),
      lastUpdate,
    ]),
    table(
      'film_actor',
      [
        field('actor_id', {
          dbType: 'smallint',
          unsigned: true,
          primary: true,
          foreign: { table: 'actor', field: 'actor_id', onDelete: 'restrict', onUpdate: 'cascade' },
        }),
        field('film_id', {
          dbType: 'smallint',
          unsigned: true,
          primary: true,
          foreign: { table: 'film', field: 'film_id', onDelete: 'restrict', onUpdate: 'cascade' },
        }),
        lastUpdate,
      ],
      {
        primary: ['actor_id', 'film_id'],
        relations: [
          belongsTo('film', 'film_id', 'film', 'film_id'),
          belongsTo('actor', 'actor_id', 'actor', 'actor_id'),
        ],
      },
    ),
    table(
      'tasks',
      [
        idField('id'),
        field('user_id', { unsigned: true, required: true }),
        field('title', { type: 'string', length: 200, required: true }),
        field('done', { type: 'bool', default: false }),
        field('due_date', { type: 'date', nullable: true }),
        field('secret', { type: 'string', length: 50, nullable: true, hidden: true }),
        field('created_at', { type: 'datetime', readonly: true, default: { sql: 'current_timestamp()' } }),
      ],
      { filter: 'owner', ownerBypass: ['admin'] },
    ),
    table(
      'task_labels',
      [
        field('task_id', {
          unsigned: true,
          primary: true,
          foreign: { table: 'tasks', field: 'id', onDelete: 'cascade', onUpdate: 'restrict' },
        }),
        field('label', { type: 'string', length: 20, primary: true }),
      ],
      { primary: ['task_id', 'label'], relations: [belongsTo('task', 'task_id', 'tasks', 'id')] },
    ),
    table('address', [
      idField('address_id', 'smallint'),
      field('address', { type: 'string', length: 50, required: true }),
      field('location', { type: 'geometry', required: true }),
      field('spot', { type: 'geometry', dbType: 'point', nullable: true }),
      field('big', { type: 'bigint', unsigned: true, nullable: true }),
      field('ratio', { type: 'float', dbType: 'double', nullable: true }),
      field('opens', { type: 'time', nullable: true }),
      field('meta', { type: 'json', nullable: true }),
      field('picture', { type: 'binary', nullable: true }),
    ]),
    table('customer_list', [field('ID', { unsigned: true }), field('name', { type: 'string', length: 91 })], {
      view: true,
      crud: ['list', 'read'],
      primary: [],
    }),
  ],
});
