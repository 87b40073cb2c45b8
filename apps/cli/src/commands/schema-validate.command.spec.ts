import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import { writeSchemaYaml } from '@sogoms/schema';
import { aField, anIdField, aSchema, aTable } from '@sogoms/schema/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../main.js';
import { CliFailure, type CliContext } from '../cli-context.js';
import { schemaValidateCommand, type SchemaValidateOptions } from './schema-validate.command.js';

describe('schema validate', () => {
  let fixture: ConfigFixture;
  let out: string[];
  let err: string[];
  const ctx = (args: string[], options: SchemaValidateOptions = {}): CliContext<SchemaValidateOptions> => ({
    args,
    options,
    configRoot: fixture.root,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });

  beforeEach(() => {
    fixture = createConfigFixture();
    fixture.app('shop');
    out = [];
    err = [];
  });
  afterEach(() => fixture.remove());

  it('exits 0 and says ok for a valid schema', async () => {
    fixture.write(
      'apps/shop/schema.yaml',
      writeSchemaYaml(aSchema([aTable('item', { fields: [anIdField(), aField('name', { type: 'text' })] })])),
    );
    expect(await schemaValidateCommand.run(ctx(['shop']))).toBe(0);
    expect(out).toEqual(['config/apps/shop/schema.yaml: ok (1 table)']);
  });

  it('prints file:line: table.field: message for each finding and exits 1', async () => {
    fixture.write(
      'apps/shop/schema.yaml',
      [
        'version: 1',
        'tables:',
        '  item:',
        '    fields:',
        '      id: { type: int, primary: true, auto: true }',
        '      name: { type: string }',
        '      owner_id: { type: int, foreign: { table: users, field: id } }',
      ].join('\n'),
    );
    expect(await schemaValidateCommand.run(ctx(['shop']))).toBe(1);
    expect(out).toEqual([
      'config/apps/shop/schema.yaml:6: item.name: length: expected a length for varchar (or a db_type such as text that needs none)',
      'config/apps/shop/schema.yaml:7: item.owner_id: foreign.table: expected a table of this file, got "users"',
    ]);
    expect(err).toEqual(['2 findings in config/apps/shop/schema.yaml']);
  });

  it('prints the findings as JSON with --json', async () => {
    fixture.write(
      'apps/shop/schema.yaml',
      'version: 1\ntables:\n  item:\n    fields:\n      id: { type: integer }\n',
    );
    expect(await schemaValidateCommand.run(ctx(['shop'], { json: true }))).toBe(1);
    const findings = JSON.parse(out.join('\n'));
    expect(findings).toEqual([
      expect.objectContaining({
        file: 'config/apps/shop/schema.yaml',
        line: 5,
        table: 'item',
        field: 'id',
        key: 'tables.item.fields.id.type',
      }),
    ]);
    expect(findings[0].message).toContain('(did you mean int?)');
  });

  it('fails (exit 2) for an unknown app or an app without schema.yaml', async () => {
    await expect(schemaValidateCommand.run(ctx(['nope']))).rejects.toThrow(/unknown app 'nope'/);
    await expect(schemaValidateCommand.run(ctx(['shop']))).rejects.toBeInstanceOf(CliFailure);
    expect(await runCli(['schema', 'validate', 'shop', '--config', fixture.root])).toBe(2);
  });
});
