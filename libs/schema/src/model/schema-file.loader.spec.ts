import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@sogoms/config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anIdField, aSchema, aTable } from '../testing/schema.factory.js';
import { loadSchemaFile, loadSchemaFileInSlices } from './schema-file.loader.js';
import { parseSchemaYaml } from './schema-yaml.parser.js';
import { writeSchemaYaml } from './schema-yaml.writer.js';

describe('loadSchemaFile', () => {
  let root: string;
  let appDir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sogoms-schema-'));
    appDir = join(root, 'config', 'apps', 'shop');
    mkdirSync(appDir, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('gives null when the app has no schema.yaml', () => {
    expect(loadSchemaFile(appDir, root)).toBeNull();
  });

  it('gives the model of a valid file', () => {
    const schema = aSchema([aTable('item', { fields: [anIdField()] })]);
    writeFileSync(join(appDir, 'schema.yaml'), writeSchemaYaml(schema));
    expect(loadSchemaFile(appDir, root)).toEqual(schema);
  });

  it('throws one ConfigError naming file, line, key path and expectation for every finding', () => {
    writeFileSync(
      join(appDir, 'schema.yaml'),
      'tables:\n  film:\n    fields:\n      id: { type: int, primary: true }\n      title: { type: string, lenght: 9 }\n',
    );
    expect(() => loadSchemaFile(appDir, root)).toThrow(ConfigError);
    try {
      loadSchemaFile(appDir, root);
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        {
          file: 'config/apps/shop/schema.yaml',
          line: 5,
          key: 'tables.film.fields.title.lenght',
          expected: expect.stringContaining('(did you mean length?)'),
          got: 'an unknown key',
        },
        {
          file: 'config/apps/shop/schema.yaml',
          line: 5,
          key: 'tables.film.fields.title.length',
          expected: 'a length for varchar (or a db_type such as text that needs none)',
        },
      ]);
    }
  });

  it('refuses a file whose aliases expand without bound', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefgh'.split('').map((k, i) => {
        const prev = 'abcdefgh'[i];
        return `${k}: &${k} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
      }),
      'tables: *h',
    ].join('\n');
    const { schema, findings } = parseSchemaYaml(bomb, 'schema.yaml');
    expect(schema).toBeNull();
    expect(findings[0].expected).toBe('YAML without excessive aliases');
  });

  describe('in slices (what a reloading gateway uses)', () => {
    it('gives the same model as the synchronous reading, and null without a file', async () => {
      expect(await loadSchemaFileInSlices(appDir, root)).toBeNull();
      const schema = aSchema([
        aTable('box', { fields: [anIdField()] }),
        aTable('item', { fields: [anIdField()] }),
      ]);
      writeFileSync(join(appDir, 'schema.yaml'), writeSchemaYaml(schema));
      expect(await loadSchemaFileInSlices(appDir, root)).toEqual(schema);
    });

    it('rejects with the same ConfigError as the synchronous reading, also after a valid reading', async () => {
      writeFileSync(
        join(appDir, 'schema.yaml'),
        writeSchemaYaml(aSchema([aTable('film', { fields: [anIdField()] })])),
      );
      await loadSchemaFileInSlices(appDir, root);
      writeFileSync(
        join(appDir, 'schema.yaml'),
        'tables:\n  film:\n    fields:\n      id: { type: int, primary: true }\n      title: { type: string, lenght: 9 }\n',
      );
      const sliced = await loadSchemaFileInSlices(appDir, root).catch((error: unknown) => error);
      expect(sliced).toBeInstanceOf(ConfigError);
      let synchronous: unknown;
      try {
        loadSchemaFile(appDir, root);
      } catch (error) {
        synchronous = error;
      }
      expect((sliced as ConfigError).problems).toEqual((synchronous as ConfigError).problems);
      expect((sliced as ConfigError).problems[0]).toMatchObject({
        file: 'config/apps/shop/schema.yaml',
        line: 5,
      });
    });
  });
});
