import { describe, expect, it } from 'vitest';
import type { SchemaDef } from '../schema.types.js';
import {
  aField,
  aFilter,
  aForeignField,
  anIdField,
  anIndex,
  aSchema,
  aTable,
} from '../testing/schema.factory.js';
import { deriveRelations } from './relation-deriver.js';
import { mergeSchemas } from './schema.merger.js';
import { parseSchemaYaml } from './schema-yaml.parser.js';
import { writeSchemaYaml } from './schema-yaml.writer.js';

/** What a scan of the database gives: facts only, relations derived. */
const scan = (version: 'v1' | 'v2'): SchemaDef => {
  const users = aTable('users', {
    fields: [
      anIdField('id'),
      aField('email', { type: 'string', length: 190, required: true, unique: true }),
      aField('password_hash', { type: 'string', length: 255, required: true }),
    ],
  });
  const tasks = aTable('tasks', {
    comment: 'Tasks (from the database)',
    fields: [
      anIdField('id'),
      aForeignField('user_id', 'users', 'id'),
      aField('title', {
        type: 'string',
        length: version === 'v1' ? 100 : 200,
        required: true,
        comment: 'db comment',
      }),
      aField('position', { type: 'int', default: 0 }),
      ...(version === 'v1' ? [aField('legacy', { type: 'text', nullable: true })] : []),
      ...(version === 'v2' ? [aField('done', { type: 'bool', default: false })] : []),
    ],
    indexes: [anIndex('idx_position', ['position'])],
  });
  const tags = aTable('tags', { fields: [anIdField('id'), aForeignField('task_id', 'tasks', 'id')] });
  const archive = aTable('archive', { fields: [anIdField('id')] });
  const labels = aTable('labels', { fields: [anIdField('id')] });
  return aSchema(
    deriveRelations(version === 'v1' ? [users, tasks, tags, archive] : [users, tasks, tags, labels]),
  );
};

/** A person's edits on top of the first scan, as they would be written in schema.yaml. */
const handEdited = (): SchemaDef => {
  const text = writeSchemaYaml(scan('v1'))
    .replace(
      '  tasks:\n',
      "  tasks:\n    crud: [list, read, create]\n    public: [list]\n    filter: owner\n    owner_bypass: [admin]\n    order: position asc, id desc\n    filters:\n      by_title: { where: 'title LIKE :q' }\n",
    )
    .replace('comment: Tasks (from the database)', 'comment: My tasks')
    .replace(
      'title: { type: string, length: 100, required: true, comment: db comment }',
      'title: { type: string, length: 100, required: true, readonly: true, comment: The title }',
    )
    .replace(
      'password_hash: { type: string, length: 255, required: true }',
      'password_hash: { type: string, length: 255, required: true, hidden: true, auth: password }',
    )
    .replace(
      'email: { type: string, length: 190, unique: true, required: true }',
      'email: { type: string, length: 190, unique: true, required: true, auth: login }',
    )
    .replace('      user: { type: belongs_to', '      owner: { type: belongs_to')
    .replace(
      '      tasks: { type: has_many, table: tasks',
      '      own_tags: { type: has_many, table: tags, field: task_id, references: id }\n      tasks: { type: has_many, table: tasks',
    );
  const { schema, findings } = parseSchemaYaml(text, 'schema.yaml');
  expect(findings).toEqual([]);
  return schema!;
};

const table = (schema: SchemaDef, name: string) => schema.tables.find((t) => t.name === name)!;

describe('mergeSchemas', () => {
  it('takes the scan as it is when there is no file yet', () => {
    const { schema, report } = mergeSchemas(null, scan('v1'));
    expect(schema.tables.map((t) => t.name)).toEqual(['archive', 'tags', 'tasks', 'users']);
    expect(report).toEqual({
      addedTables: ['archive', 'tags', 'tasks', 'users'],
      addedFields: [],
      droppedTables: [],
      droppedFields: [],
      changedFields: [],
    });
  });

  it('keeps every hand edit across a re-scan and takes the facts from the database', () => {
    const existing = handEdited();
    const { schema, report } = mergeSchemas(existing, scan('v2'));
    const tasks = table(schema, 'tasks');
    expect(tasks).toMatchObject({
      comment: 'My tasks',
      crud: ['list', 'read', 'create'],
      public: ['list'],
      filter: 'owner',
      ownerBypass: ['admin'],
      order: [
        { field: 'position', direction: 'asc' },
        { field: 'id', direction: 'desc' },
      ],
      filters: [aFilter('by_title', 'title LIKE :q')],
      indexes: [anIndex('idx_position', ['position'])],
    });
    const title = tasks.fields.find((f) => f.name === 'title')!;
    expect(title).toMatchObject({ length: 200, readonly: true, comment: 'The title' });
    expect(tasks.fields.map((f) => f.name)).toEqual(['id', 'user_id', 'title', 'position', 'legacy', 'done']);
    expect(tasks.relations.map((r) => r.name)).toEqual(['owner', 'tags']);
    const users = table(schema, 'users');
    expect(users.fields.map((f) => [f.name, f.auth, f.hidden])).toEqual([
      ['id', undefined, false],
      ['email', 'login', false],
      ['password_hash', 'password', true],
    ]);
    expect(users.relations.map((r) => r.name)).toEqual(['own_tags', 'tasks']);
    expect(schema.tables.map((t) => t.name)).toEqual(['archive', 'labels', 'tags', 'tasks', 'users']);
    expect(table(schema, 'archive')).toEqual(table(existing, 'archive'));
    expect(report).toEqual({
      addedTables: ['labels'],
      addedFields: ['tasks.done'],
      droppedTables: ['archive'],
      droppedFields: ['tasks.legacy'],
      changedFields: ['tasks.title'],
    });
  });

  it('gives a valid schema that survives writing and reading', () => {
    const { schema } = mergeSchemas(handEdited(), scan('v2'));
    const { schema: back, findings } = parseSchemaYaml(writeSchemaYaml(schema), 'schema.yaml');
    expect(findings).toEqual([]);
    expect(back).toEqual(schema);
  });

  it('is stable: merging the result with the same scan changes nothing', () => {
    const once = mergeSchemas(handEdited(), scan('v2'));
    const twice = mergeSchemas(once.schema, scan('v2'));
    expect(twice.schema).toEqual(once.schema);
    expect(writeSchemaYaml(twice.schema)).toBe(writeSchemaYaml(once.schema));
    expect(twice.report).toEqual({
      addedTables: [],
      addedFields: [],
      droppedTables: ['archive'],
      droppedFields: ['tasks.legacy'],
      changedFields: [],
    });
  });

  it('keeps owner_check: false on a relation, and never writes it from a scan', () => {
    const text = writeSchemaYaml(handEdited()).replace(
      'task: { type: belongs_to, table: tasks, field: task_id, references: id }',
      'task: { type: belongs_to, table: tasks, field: task_id, references: id, owner_check: false }',
    );
    const existing = parseSchemaYaml(text, 'schema.yaml').schema!;
    expect(table(existing, 'tags').relations).toContainEqual(expect.objectContaining({ ownerCheck: false }));
    const merged = writeSchemaYaml(mergeSchemas(existing, scan('v2')).schema);
    expect(merged).toContain(
      'task: { type: belongs_to, table: tasks, field: task_id, references: id, owner_check: false }',
    );
    expect(writeSchemaYaml(mergeSchemas(null, scan('v2')).schema)).not.toContain('owner_check');
    expect(writeSchemaYaml(mergeSchemas(handEdited(), scan('v2')).schema)).not.toContain('owner_check');
  });

  it('names a new relation so it does not collide with a kept one', () => {
    const existing = handEdited();
    const tasks = table(existing, 'tasks');
    tasks.relations = [{ name: 'tags', type: 'has_many', table: 'archive', field: 'id', references: 'id' }];
    const merged = table(mergeSchemas(existing, scan('v2')).schema, 'tasks');
    expect(merged.relations.map((r) => r.name)).toEqual(['tags', 'user', 'tags_2']);
  });

  it('lets a crud left at its default follow the table when it loses its key', () => {
    const existing = aSchema([aTable('t', { fields: [anIdField('id'), aField('a')] })]);
    const scanned = aSchema([
      aTable('t', { fields: [aField('id', { type: 'int', unsigned: true, auto: true }), aField('a')] }),
    ]);
    const merged = table(mergeSchemas(existing, scanned).schema, 't');
    expect(merged.crud).toEqual(['list']);
    expect(merged.primary).toEqual([]);
  });

  it('keeps a hand crud even when the key changes', () => {
    const existing = aSchema([aTable('t', { fields: [anIdField('id')], crud: ['list', 'read'] })]);
    const scanned = aSchema([aTable('t', { fields: [anIdField('id'), aField('b')] })]);
    expect(table(mergeSchemas(existing, scanned).schema, 't').crud).toEqual(['list', 'read']);
  });
});
