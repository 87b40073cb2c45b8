import { describe, expect, it } from 'vitest';
import { aField, anIdField, aTable } from '../testing/schema.factory.js';
import { parseSchemaYaml } from './schema-yaml.parser.js';

const parse = (text: string) => parseSchemaYaml(text, 'config/apps/shop/schema.yaml');
const lines = (...text: string[]): string => `${text.join('\n')}\n`;
const keys = (text: string): string[] => parse(text).findings.map((f) => `${f.line ?? '-'} ${f.key}`);

describe('parseSchemaYaml', () => {
  it('fills every default', () => {
    const { schema, findings } = parse(
      lines(
        'tables:',
        '  item:',
        '    fields:',
        '      id: { type: int, primary: true, auto: true }',
        '      name: { type: text }',
        '  item_view:',
        '    view: true',
        '    fields:',
        '      id: { type: int, primary: true }',
        '  log:',
        '    fields:',
        '      line: { type: text }',
      ),
    );
    expect(findings).toEqual([]);
    expect(schema).toEqual({
      version: 1,
      tables: [
        aTable('item', {
          fields: [anIdField('id', { unsigned: false }), aField('name', { type: 'text' })],
        }),
        aTable('item_view', { view: true, fields: [aField('id', { primary: true })] }),
        aTable('log', { fields: [aField('line', { type: 'text' })] }),
      ],
    });
    const [item, view, log] = schema!.tables;
    expect([item.crud, view.crud, log.crud]).toEqual([
      ['list', 'read', 'create', 'update', 'delete'],
      ['list', 'read'],
      ['list'],
    ]);
    expect(item).toMatchObject({
      public: [],
      ownerField: 'user_id',
      ownerBypass: [],
      order: [],
      filters: [],
    });
    expect(item.fields[1]).toEqual({
      name: 'name',
      type: 'text',
      unsigned: false,
      primary: false,
      auto: false,
      unique: false,
      required: false,
      nullable: false,
      hidden: false,
      readonly: false,
    });
  });

  it('derives primary from the flags in column order, or sets the flags from the list', () => {
    const flags = parse(
      lines(
        'tables:',
        '  t:',
        '    fields:',
        '      b: { type: int, primary: true }',
        '      a: { type: int, primary: true }',
      ),
    );
    expect(flags.schema!.tables[0].primary).toEqual(['b', 'a']);
    const listed = parse(
      lines(
        'tables:',
        '  t:',
        '    primary: [a, b]',
        '    fields:',
        '      b: { type: int }',
        '      a: { type: int }',
      ),
    );
    expect(listed.findings).toEqual([]);
    expect(listed.schema!.tables[0].primary).toEqual(['a', 'b']);
    expect(listed.schema!.tables[0].fields.map((f) => f.primary)).toEqual([true, true]);
  });

  it('refuses a primary flag on a field missing from the primary list', () => {
    const { findings } = parse(
      lines(
        'tables:',
        '  t:',
        '    primary: [a]',
        '    fields:',
        '      a: { type: int }',
        '      b: { type: int, primary: true }',
      ),
    );
    expect(findings.map((f) => `${f.line} ${f.key}`)).toEqual(['6 tables.t.fields.b.primary']);
  });

  it('parses order into pairs, direction optional and in any case', () => {
    const { schema, findings } = parse(
      lines(
        'tables:',
        '  t:',
        '    order: position, id DESC, name asc',
        '    fields:',
        '      id: { type: int, primary: true }',
        '      position: { type: int }',
        '      name: { type: text }',
      ),
    );
    expect(findings).toEqual([]);
    expect(schema!.tables[0].order).toEqual([
      { field: 'position', direction: 'asc' },
      { field: 'id', direction: 'desc' },
      { field: 'name', direction: 'asc' },
    ]);
    expect(
      keys(lines('tables:', '  t:', '    order: id sideways', '    fields:', '      id: { type: int }')),
    ).toEqual(['3 tables.t.order']);
  });

  it('normalizes crud to the canonical order, db_type to lower case, default db_type and decimal scale away', () => {
    const { schema, findings } = parse(
      lines(
        'tables:',
        '  t:',
        '    crud: [delete, list, read]',
        '    fields:',
        '      id: { type: int, db_type: INT, primary: true }',
        '      price: { type: decimal, precision: 8 }',
        '      small: { type: int, db_type: SmallInt }',
      ),
    );
    expect(findings).toEqual([]);
    const t = schema!.tables[0];
    expect(t.crud).toEqual(['list', 'read', 'delete']);
    expect(t.fields[0].dbType).toBeUndefined();
    expect(t.fields[1]).toMatchObject({ precision: 8, scale: 0 });
    expect(t.fields[2].dbType).toBe('smallint');
  });

  it('reads defaults of every kind and the foreign key with its actions', () => {
    const { schema, findings } = parse(
      lines(
        'tables:',
        '  p:',
        '    fields:',
        '      id: { type: int, primary: true }',
        '  t:',
        '    fields:',
        '      id: { type: int, primary: true }',
        "      a: { type: decimal, precision: 4, scale: 2, default: '4.99' }",
        '      b: { type: int, default: 4 }',
        '      c: { type: bool, default: false }',
        '      d: { type: text, nullable: true, default: null }',
        '      e: { type: datetime, default: { sql: current_timestamp() }, on_update: { sql: current_timestamp() } }',
        '      p_id: { type: int, foreign: { table: p, field: id, name: fk_t_p, on_delete: SET NULL, on_update: cascade } }',
      ),
    );
    expect(findings).toEqual([]);
    const f = schema!.tables[1].fields;
    expect(f.map((x) => x.default)).toEqual([
      undefined,
      '4.99',
      4,
      false,
      null,
      { sql: 'current_timestamp()' },
      undefined,
    ]);
    expect(f[5].onUpdate).toEqual({ sql: 'current_timestamp()' });
    expect(f[6].foreign).toEqual({
      table: 'p',
      field: 'id',
      name: 'fk_t_p',
      onDelete: 'set_null',
      onUpdate: 'cascade',
    });
  });

  it('compiles filter params', () => {
    const { schema } = parse(
      lines(
        'tables:',
        '  t:',
        '    filters:',
        "      near: { where: 'x BETWEEN :low AND :high AND note <> '':no''' }",
        '    fields:',
        '      x: { type: int }',
        '      note: { type: text }',
      ),
    );
    expect(schema!.tables[0].filters).toEqual([
      { name: 'near', where: "x BETWEEN :low AND :high AND note <> ':no'", params: ['low', 'high'] },
    ]);
  });

  it('names unknown keys with their line and the key meant', () => {
    const { findings } = parse(
      lines(
        'version: 1',
        'tabels: {}',
        'tables:',
        '  t:',
        '    crud: [list, raed]',
        '    fields:',
        '      id: { type: int, primary: true, lenght: 3 }',
        '      x:',
        '        type: strng',
      ),
    );
    expect(findings.map((f) => [f.line, f.key, f.message])).toEqual([
      [2, 'tabels', 'tabels: expected one of version, tables (did you mean tables?), got an unknown key'],
      [
        5,
        'tables.t.crud[1]',
        'crud[1]: expected one of list, read, create, update, delete (did you mean read?), got "raed"',
      ],
      [7, 'tables.t.fields.id.lenght', expect.stringContaining('(did you mean length?), got an unknown key')],
      [9, 'tables.t.fields.x.type', expect.stringContaining('(did you mean string?), got "strng"')],
    ]);
    expect(findings[2]).toMatchObject({ table: 't', field: 'id', file: 'config/apps/shop/schema.yaml' });
  });

  it('reports value types with the key path', () => {
    expect(
      keys(
        lines(
          'version: 2',
          'tables:',
          '  t:',
          '    view: maybe',
          '    public: list',
          '    filter: mine',
          '    owner_bypass: [1]',
          '    fields:',
          '      id: { type: int, primary: yes }',
          '      s: { type: string, length: -3 }',
          '      e: { type: enum, values: [1, b] }',
          '      d: { type: text, default: [a] }',
          '      o: { type: datetime, on_update: now() }',
          '      f: { type: int, foreign: { table: t } }',
          '      a: { type: string, length: 9, auth: admin }',
          '      c: { type: text, comment: 5 }',
          '      db: { type: int, db_type: int(11) }',
          '    indexes:',
          '      i: { fields: [], kind: hash }',
          '    relations:',
          '      r: { type: has_one, table: t }',
          '      m: { type: many_to_many, table: t, field: id, references: id }',
          '    filters:',
          '      q: { sql: x }',
        ),
      ),
    ).toEqual([
      '1 version',
      '4 tables.t.view',
      '5 tables.t.public',
      '6 tables.t.filter',
      '7 tables.t.owner_bypass[0]',
      '9 tables.t.fields.id.primary',
      '10 tables.t.fields.s.length',
      '11 tables.t.fields.e.values[0]',
      '12 tables.t.fields.d.default',
      '13 tables.t.fields.o.on_update',
      '14 tables.t.fields.f.foreign.field',
      '15 tables.t.fields.a.auth',
      '16 tables.t.fields.c.comment',
      '17 tables.t.fields.db.db_type',
      '19 tables.t.indexes.i.fields',
      '19 tables.t.indexes.i.kind',
      '21 tables.t.relations.r.type',
      '22 tables.t.relations.m.target_field',
      '22 tables.t.relations.m.target_references',
      '22 tables.t.relations.m.through',
      '24 tables.t.filters.q.sql',
      '24 tables.t.filters.q.where',
    ]);
  });

  it('reads owner_check on a belongs_to, keeps only the opt-out, and refuses it elsewhere', () => {
    const table = (...relations: string[]) =>
      lines(
        'tables:',
        '  t:',
        '    fields:',
        '      id: { type: int, primary: true }',
        '      p: { type: int, nullable: true }',
        '    relations:',
        ...relations,
      );
    const read = parse(
      table(
        '      off: { type: belongs_to, table: t, field: p, references: id, owner_check: false }',
        '      on: { type: belongs_to, table: t, field: p, references: id, owner_check: true }',
      ),
    );
    expect(read.findings).toEqual([]);
    expect(read.schema!.tables[0].relations).toEqual([
      { name: 'off', type: 'belongs_to', table: 't', field: 'p', references: 'id', ownerCheck: false },
      { name: 'on', type: 'belongs_to', table: 't', field: 'p', references: 'id' },
    ]);
    const { findings } = parse(
      table(
        '      many: { type: has_many, table: t, field: p, references: id, owner_check: false }',
        '      bad: { type: belongs_to, table: t, field: p, references: id, owner_check: maybe }',
      ),
    );
    expect(findings.map((f) => [f.file, f.line, f.key, f.message])).toEqual([
      [
        'config/apps/shop/schema.yaml',
        7,
        'tables.t.relations.many.owner_check',
        'owner_check: expected no owner_check on a has_many relation (only a belongs_to has one), got false',
      ],
      [
        'config/apps/shop/schema.yaml',
        8,
        'tables.t.relations.bad.owner_check',
        'owner_check: expected true or false, got "maybe"',
      ],
    ]);
  });

  it('refuses duplicate keys (two tables or fields of one name) as YAML errors with their line', () => {
    const { schema, findings } = parse(
      lines('tables:', '  t:', '    fields:', '      id: { type: int }', '      id: { type: text }'),
    );
    expect(schema).toBeNull();
    expect(findings).toEqual([
      expect.objectContaining({
        line: 5,
        key: '(yaml)',
        message: expect.stringContaining('Map keys must be unique'),
      }),
    ]);
  });

  it('reports a file that is no mapping, or has no tables', () => {
    expect(parse('').findings.map((f) => f.message)).toEqual([
      'expected a mapping with version and tables, got null',
    ]);
    expect(parse('- a\n').schema).toBeNull();
    expect(keys('version: 1\n')).toEqual(['1 tables']);
    expect(parse('tables: {}\n')).toEqual({ schema: { version: 1, tables: [] }, findings: [] });
  });

  it('does not repeat a structural finding as a semantic one', () => {
    const { findings } = parse(
      lines(
        'tables:',
        '  a:',
        '    fields:',
        '      id: { type: integer, primary: true }',
        '  b:',
        '    fields:',
        '      id: { type: int, primary: true }',
        '      a_id: { type: int, foreign: { table: a, field: id } }',
      ),
    );
    expect(findings.map((f) => f.key)).toEqual(['tables.a.fields.id.type']);
  });
});
