import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { randomSchema, SeededRandom } from '../testing/random-schema.js';
import { aField, aSchema, aTable } from '../testing/schema.factory.js';
import {
  forgetSchemaChunks,
  readSchemaDataByTable,
  readSchemaDataByTableInSlices,
} from './schema-yaml.chunks.js';
import { parseSchemaYaml } from './schema-yaml.parser.js';
import { writeSchemaYaml } from './schema-yaml.writer.js';

const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);

const twoTables = writeSchemaYaml(
  aSchema([
    aTable('films', {
      fields: [aField('id', { primary: true }), aField('title', { type: 'string', length: 9 })],
    }),
    aTable('actors', { fields: [aField('id', { primary: true })] }),
  ]),
);

describe('readSchemaDataByTable', () => {
  afterEach(forgetSchemaChunks);

  it('gives what a whole-document parse gives, for generated files of random schemas', () => {
    for (const seed of SEEDS) {
      const text = writeSchemaYaml(randomSchema(new SeededRandom(seed)));
      const data = readSchemaDataByTable(text, `s${seed}.yaml`);
      expect({ seed, data }).toEqual({ seed, data: parse(text) as unknown });
    }
  });

  it('reuses the tables that did not change and reads the changed one anew', () => {
    const first = readSchemaDataByTable(twoTables, 'schema.yaml')!;
    const edited = twoTables.replace(/^ {2}films:\n/m, '  films:\n    comment: edited\n');
    expect(edited).not.toBe(twoTables);
    const second = readSchemaDataByTable(edited, 'schema.yaml')!;
    const tables = (d: Record<string, unknown>) => d.tables as Record<string, Record<string, unknown>>;
    expect(tables(second).actors).toBe(tables(first).actors); // the same object: not parsed again
    expect(tables(second).films).not.toBe(tables(first).films);
    expect(tables(second).films.comment).toBe('edited');
    expect(second).toEqual(parse(edited) as unknown);
  });

  it('takes a table another file has too from that file’s reading (apps of one shape)', () => {
    const tables = (d: Record<string, unknown>) => d.tables as Record<string, Record<string, unknown>>;
    const shop = readSchemaDataByTable(twoTables, 'shop/schema.yaml')!;
    const other = twoTables.replace(/^ {2}actors:\n/m, '  actors:\n    comment: other\n');
    const blog = readSchemaDataByTable(other, 'blog/schema.yaml')!;
    expect(blog).toEqual(parse(other) as unknown);
    expect(tables(blog).films).toBe(tables(shop).films);
    expect(tables(blog).actors).not.toBe(tables(shop).actors);
  });

  it('leaves files outside the layout, or with parts that do not parse alone, to the whole-document parse', () => {
    const cases = {
      'flow tables': 'tables: { a: { fields: { id: { type: int } } } }\n',
      'an alias into another table': twoTables
        .replace('  actors:\n', '  actors: &x\n')
        .replace(/^ {2}films:\n(?: {4}.*\n)+/m, '  films: *x\n'),
      'a document marker': `---\n${twoTables}`,
      'a duplicate table': `${twoTables}  actors:\n    fields: { id: { type: int } }\n`,
      'no table': 'version: 1\ntables:\n',
      'a table key YAML reads as a boolean': twoTables.replace('  actors:', '  true:'),
      'a broken table': twoTables.replace('  actors:\n', '  actors:\n    fields: [\n'),
    };
    for (const [what, text] of Object.entries(cases)) {
      expect({ what, data: readSchemaDataByTable(text, 'schema.yaml') }).toEqual({ what, data: undefined });
    }
  });

  it('in slices: the same data, and the tables are then remembered', async () => {
    const text = writeSchemaYaml(randomSchema(new SeededRandom(7)));
    const sliced = await readSchemaDataByTableInSlices(text, 'schema.yaml', 0);
    expect(sliced).toEqual(parse(text) as unknown);
    const again = readSchemaDataByTable(text, 'schema.yaml')!;
    const tables = (d: Record<string, unknown>) => d.tables as Record<string, unknown>;
    for (const name of Object.keys(tables(again))) expect(tables(again)[name]).toBe(tables(sliced!)[name]);
  });
});

describe('parseSchemaYaml with remembered tables', () => {
  afterEach(forgetSchemaChunks);

  it('a finding after a valid reading still carries its line (the whole document is parsed for it)', () => {
    expect(parseSchemaYaml(twoTables, 'schema.yaml').findings).toEqual([]);
    const broken = twoTables.replace('length: 9', 'length: -1');
    const { findings } = parseSchemaYaml(broken, 'schema.yaml');
    const line = broken.split('\n').findIndex((l) => l.includes('length: -1')) + 1;
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) expect(finding).toMatchObject({ table: 'films', line });
  });

  it('the model does not share lists with the remembered data', () => {
    const text = writeSchemaYaml(
      aSchema([
        aTable('t', {
          fields: [aField('id', { primary: true }), aField('s', { type: 'enum', values: ['a'] })],
        }),
      ]),
    );
    const first = parseSchemaYaml(text, 'schema.yaml').schema!;
    first.tables[0].fields[1].values!.push('changed');
    first.tables[0].primary.push('changed');
    const second = parseSchemaYaml(text, 'schema.yaml').schema!;
    expect(second.tables[0].fields[1].values).toEqual(['a']);
    expect(second.tables[0].primary).toEqual(['id']);
  });
});
