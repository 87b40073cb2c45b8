import { type SchemaDef } from '@sogoms/schema';
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
} from '@sogoms/schema/testing';

/**
 * A small app in the shape of the demo: users with a password, owner-filtered tasks with
 * relations and a named filter, a composite-key join table, a view, and one table with a
 * field of every type (for the type mapping of the OpenAPI document).
 */
export const docsSchema = (): SchemaDef =>
  aSchema([
    aTable('users', {
      fields: [
        anIdField(),
        aField('email', { type: 'string', length: 190, required: true, unique: true, auth: 'login' }),
        aField('password_hash', {
          type: 'string',
          length: 100,
          required: true,
          auth: 'password',
          hidden: true,
        }),
        aField('role', { type: 'enum', values: ['default', 'admin'], default: 'default' }),
        aField('api_key', { type: 'string', length: 64, nullable: true, hidden: true }),
      ],
      crud: ['list', 'read'],
      relations: [aHasMany('tasks', 'tasks', 'user_id', 'id')],
    }),
    aTable('tasks', {
      comment: 'Things to do',
      fields: [
        anIdField(),
        aForeignField('user_id', 'users', 'id'),
        aField('title', { type: 'string', length: 200, required: true }),
        aField('description', { type: 'text', nullable: true, comment: 'Markdown' }),
        aField('due_date', { type: 'date', nullable: true }),
        aField('position', { type: 'int', default: 0 }),
        aField('created_at', { type: 'datetime', default: { sql: 'current_timestamp()' }, readonly: true }),
      ],
      filter: 'owner',
      ownerBypass: ['admin'],
      order: [{ field: 'position', direction: 'asc' }],
      indexes: [anIndex('idx_tasks_user_position', ['user_id', 'position'])],
      relations: [aBelongsTo('user', 'user_id', 'users', 'id')],
      filters: [aFilter('by_title', 'title LIKE :q')],
    }),
    aTable('task_tags', {
      fields: [aForeignField('task_id', 'tasks', 'id'), aForeignField('tag_id', 'tags', 'id')],
      primary: ['task_id', 'tag_id'],
      crud: ['list', 'read', 'create', 'delete'],
    }),
    aTable('tags', { public: ['list', 'read'] }),
    aTable('task_list', {
      view: true,
      fields: [
        aField('id', { type: 'int', unsigned: true }),
        aField('title', { type: 'string', length: 200 }),
      ],
      primary: [],
    }),
    aTable('every_type', {
      fields: [
        anIdField('id', { type: 'bigint', dbType: undefined }),
        aField('tiny', { type: 'int', dbType: 'tinyint', unsigned: true, nullable: true }),
        aField('price', { type: 'decimal', precision: 4, scale: 2, default: '4.99' }),
        aField('ratio', { type: 'float', dbType: 'double' }),
        aField('flag', { type: 'bool', default: false }),
        aField('code', { type: 'string', dbType: 'char', length: 3 }),
        aField('at', { type: 'datetime', dbType: 'timestamp', nullable: true }),
        aField('clock', { type: 'time' }),
        aField('born', { type: 'year', nullable: true }),
        aField('rating', { type: 'enum', values: ['G', 'PG'], nullable: true }),
        aField('features', { type: 'set', values: ['Trailers', 'Commentaries'] }),
        aField('extra', { type: 'json', nullable: true }),
        aField('picture', { type: 'binary', dbType: 'mediumblob', nullable: true }),
        aField('place', { type: 'geometry', dbType: 'point' }),
      ],
    }),
  ]);
