import { describe, expect, it } from 'vitest';
import {
  aField,
  aFilter,
  aForeignField,
  anIdField,
  anIndex,
  aSchema,
  aTable,
} from '../testing/schema.factory.js';
import { parseSchemaYaml } from './schema-yaml.parser.js';
import { writeSchemaYaml } from './schema-yaml.writer.js';

describe('writeSchemaYaml → parseSchemaYaml', () => {
  it('gives back a small schema unchanged', () => {
    const schema = aSchema([
      aTable('language', {
        fields: [anIdField('language_id'), aField('name', { type: 'string', length: 20, required: true })],
      }),
      aTable('film', {
        fields: [
          anIdField('film_id'),
          aField('title', { type: 'string', length: 128, required: true }),
          aForeignField('language_id', 'language', 'language_id'),
        ],
        indexes: [anIndex('idx_title', ['title'])],
        filters: [aFilter('by_title', 'title LIKE :q')],
      }),
    ]);
    const text = writeSchemaYaml(schema);
    const { schema: back, findings } = parseSchemaYaml(text, 'schema.yaml');
    expect(findings).toEqual([]);
    expect(back).toEqual({ ...schema, tables: [schema.tables[1], schema.tables[0]] });
  });
});
