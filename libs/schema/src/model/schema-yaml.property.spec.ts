import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { randomSchema, SeededRandom } from '../testing/random-schema.js';
import { parseSchemaYaml } from './schema-yaml.parser.js';
import { writeSchemaYaml } from './schema-yaml.writer.js';
import { validateSchema } from './schema.validator.js';

const SEEDS = Array.from({ length: 120 }, (_, i) => i + 1);

describe('schema.yaml round trip over random valid schemas', () => {
  it('the generator makes valid schemas that use every type', () => {
    const types = new Set<string>();
    for (const seed of SEEDS) {
      const schema = randomSchema(new SeededRandom(seed));
      expect({ seed, findings: validateSchema(schema, 'schema.yaml') }).toEqual({ seed, findings: [] });
      for (const table of schema.tables) for (const field of table.fields) types.add(field.type);
    }
    expect(types.size).toBe(16);
  });

  it('parseSchemaYaml(writeSchemaYaml(s)) equals s, and writing again gives the same bytes', () => {
    for (const seed of SEEDS) {
      const schema = randomSchema(new SeededRandom(seed));
      const text = writeSchemaYaml(schema);
      const { schema: back, findings } = parseSchemaYaml(text, 'schema.yaml');
      expect({ seed, findings }).toEqual({ seed, findings: [] });
      expect({ seed, schema: back }).toEqual({ seed, schema });
      expect(writeSchemaYaml(back!)).toBe(text);
    }
  });

  it('writes what prettier would write (so `npm run lint` accepts a generated file)', async () => {
    for (const seed of SEEDS.slice(0, 40)) {
      const text = writeSchemaYaml(randomSchema(new SeededRandom(seed)));
      const pretty = await format(text, { parser: 'yaml', singleQuote: true, printWidth: 110 });
      expect({ seed, text: pretty }).toEqual({ seed, text });
    }
  });
});
