import {
  CRUD_OPS,
  FIELD_TYPES,
  type CrudOp,
  type FieldDef,
  type FieldType,
  type SchemaDef,
  type TableDef,
} from '../schema.types.js';
import { deriveRelations } from '../model/relation-deriver.js';
import { compareText } from '../model/schema-finding.js';
import { aField, aFilter, aSchema, aTable, anIndex } from './schema.factory.js';

/** A small seeded generator (mulberry32), so a failing case can be replayed by its seed. */
export class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }
  subset<T>(items: readonly T[]): T[] {
    return items.filter(() => this.chance());
  }
}

/** Text that YAML could misread if it were written carelessly. */
export const TRICKY_TEXT = [
  'plain',
  'PG-13',
  "it's",
  'say "hi"',
  'yes',
  'null',
  '~',
  'true',
  '1',
  '4.99',
  '0x1F',
  '1e3',
  'x: y',
  '#hash',
  '- dash',
  '[bracket]',
  '{brace}',
  '&anchor',
  '*alias',
  '!tag',
  '%percent',
  '@at',
  '`tick`',
  ' leading space',
  'trailing space ',
  'line\nbreak',
  'tab\there',
  'ünïcödé ✓',
  '漢字のテキスト',
  'e\u0301 combining',
  '',
  'a, b',
  '? q',
  '| pipe',
  '> gt',
];

const TYPES: readonly FieldType[] = FIELD_TYPES;

/**
 * A valid schema in the parser's canonical form, built from the factories with every type and
 * option drawn at random: for property tests of the writer, the parser and the merger.
 */
export const randomSchema = (random: SeededRandom): SchemaDef => {
  const count = random.int(1, 6);
  const names = Array.from({ length: count }, (_, i) => `${random.pick(['t', 'Item', 'film', 'x_'])}${i}`);
  const tables: TableDef[] = [];
  names.forEach((name, i) => tables.push(randomTable(random, name, tables, i === 0)));
  const schema = aSchema(random.chance(0.8) ? deriveRelations(tables) : tables);
  return { ...schema, tables: [...schema.tables].sort((a, b) => compareText(a.name, b.name)) };
};

const randomTable = (
  random: SeededRandom,
  name: string,
  earlier: TableDef[],
  authTable: boolean,
): TableDef => {
  const keyKind = random.pick(['auto', 'composite', 'none', 'string'] as const);
  const fields: FieldDef[] = [];
  if (keyKind === 'auto')
    fields.push(aField('id', { type: 'int', unsigned: true, primary: true, auto: true }));
  if (keyKind === 'string')
    fields.push(aField('code', { type: 'string', length: 20, primary: true, required: true }));
  if (keyKind === 'composite') {
    fields.push(aField('a_id', { type: 'int', primary: true, required: true }));
    fields.push(aField('b_id', { type: 'bigint', unsigned: true, primary: true, required: true }));
  }
  const extra = random.int(keyKind === 'none' ? 1 : 0, 7);
  for (let i = 0; i < extra; i += 1)
    fields.push(randomField(random, `f${i}_${random.pick(['x', 'id', 'Id', 'name'])}`));
  for (const target of earlier) {
    const key =
      target.primary.length === 1 ? target.fields.find((f) => f.name === target.primary[0]) : undefined;
    if (key === undefined || !random.chance(0.5)) continue;
    const nullable = random.chance(0.3);
    fields.push({
      ...key,
      name: `${target.name}_id`,
      primary: false,
      auto: false,
      unique: random.chance(0.2),
      nullable,
      required: !nullable,
      foreign: {
        table: target.name,
        field: key.name,
        ...(random.chance(0.5) ? { name: `fk_${name}_${target.name}` } : {}),
        onDelete: random.pick(['restrict', 'cascade', 'set_null', 'no_action', 'set_default'] as const),
        onUpdate: random.pick(['restrict', 'cascade'] as const),
      },
    });
  }
  if (authTable && random.chance(0.5)) {
    fields.push(
      aField('email', { type: 'string', length: 190, unique: true, required: true, auth: 'login' }),
    );
    fields.push(
      aField('password_hash', {
        type: 'string',
        length: 255,
        required: true,
        hidden: true,
        auth: 'password',
      }),
    );
  }
  const owner = random.chance(0.3) && !fields.some((f) => f.name === 'user_id');
  if (owner) fields.push(aField(random.chance(0.5) ? 'user_id' : 'owner', { type: 'int', unsigned: true }));
  const primary = fields.filter((f) => f.primary).map((f) => f.name);
  const view = primary.length > 0 && keyKind !== 'composite' && random.chance(0.2);
  const allowed: readonly CrudOp[] = primary.length === 0 ? ['list'] : view ? ['list', 'read'] : CRUD_OPS;
  const overrides: Partial<TableDef> = { fields, view };
  if (random.chance(0.4))
    overrides.crud = CRUD_OPS.filter((op) => allowed.includes(op) && random.chance(0.6));
  const crud = overrides.crud ?? [...allowed];
  if (random.chance(0.5)) overrides.public = crud.filter(() => random.chance());
  if (random.chance(0.4)) overrides.comment = random.pick(TRICKY_TEXT);
  if (owner && !view) {
    overrides.filter = 'owner';
    overrides.ownerField = fields.some((f) => f.name === 'user_id') ? 'user_id' : 'owner';
    if (random.chance(0.5)) overrides.ownerBypass = ['admin', ...(random.chance() ? ['auditor'] : [])];
  }
  if (random.chance(0.5)) {
    overrides.order = random
      .subset(fields)
      .slice(0, 3)
      .map((f) => ({ field: f.name, direction: random.pick(['asc', 'desc'] as const) }));
  }
  if (random.chance(0.4)) {
    const field = random.pick(fields).name;
    overrides.filters = [
      aFilter('by_value', `${field} = :value`),
      ...(random.chance()
        ? [aFilter('between', `${field} BETWEEN :low AND :high OR ${field} = ':not_a_param'`)]
        : []),
    ];
  }
  const plain = fields.filter((f) => !f.primary);
  if (plain.length > 0 && random.chance(0.6)) {
    overrides.indexes = [
      anIndex(`idx_${name}_b`, [random.pick(plain).name]),
      ...(random.chance()
        ? [
            anIndex(
              `idx_${name}_a`,
              random
                .subset(plain)
                .map((f) => f.name)
                .slice(0, 2)
                .concat(plain[0].name)
                .filter((n, i, all) => all.indexOf(n) === i),
              { unique: true },
            ),
          ]
        : []),
      ...(random.chance(0.3) ? [anIndex(`ft_${name}`, [plain[0].name], { kind: 'fulltext' })] : []),
    ].sort((a, b) => compareText(a.name, b.name));
  }
  return aTable(name, overrides);
};

const randomField = (random: SeededRandom, name: string): FieldDef => {
  const type = random.pick(TYPES);
  const field = aField(name, { type });
  switch (type) {
    case 'int':
      field.dbType = random.pick([undefined, 'tinyint', 'smallint', 'mediumint']);
      field.unsigned = random.chance();
      break;
    case 'bigint':
      field.unsigned = random.chance();
      break;
    case 'decimal':
      field.precision = random.int(1, 65);
      field.scale = random.int(0, Math.min(30, field.precision));
      field.unsigned = random.chance(0.2);
      break;
    case 'float':
      field.dbType = random.pick([undefined, 'double']);
      break;
    case 'string':
      field.dbType = random.pick([undefined, 'char']);
      field.length = random.int(1, 1000);
      break;
    case 'text':
      field.dbType = random.pick([undefined, 'tinytext', 'mediumtext', 'longtext']);
      break;
    case 'datetime':
      field.dbType = random.pick([undefined, 'timestamp']);
      if (random.chance(0.3)) field.precision = random.int(0, 6);
      break;
    case 'enum':
    case 'set': {
      const values = random.subset(TRICKY_TEXT.filter((v) => type === 'enum' || !v.includes(',')));
      field.values = values.length > 0 ? values : ['only'];
      break;
    }
    case 'binary':
      field.dbType = random.pick([undefined, 'varbinary', 'binary', 'mediumblob']);
      if (field.dbType === 'varbinary' || field.dbType === 'binary') field.length = random.int(1, 255);
      break;
    case 'geometry':
      field.dbType = random.pick([undefined, 'point', 'polygon']);
      break;
    case 'time':
      if (random.chance(0.3)) field.precision = random.int(1, 6);
      break;
    case 'bool':
    case 'date':
    case 'year':
    case 'json':
      break;
  }
  field.nullable = random.chance(0.4);
  field.default = randomDefault(random, field);
  if (field.default === undefined) delete field.default;
  field.required = !field.nullable && field.default === undefined && random.chance(0.7);
  if (type === 'datetime' && random.chance(0.5)) field.onUpdate = { sql: 'current_timestamp()' };
  field.unique = random.chance(0.1);
  field.hidden = random.chance(0.1);
  field.readonly = random.chance(0.1);
  if (random.chance(0.3)) field.comment = random.pick(TRICKY_TEXT);
  return field;
};

const randomDefault = (random: SeededRandom, field: FieldDef): FieldDef['default'] => {
  if (!random.chance(0.5)) return undefined;
  if (field.nullable && random.chance(0.2)) return null;
  switch (field.type) {
    case 'int':
    case 'bigint':
      return random.pick([0, 42, -1, '7']);
    case 'decimal':
    case 'float':
      return random.pick(['4.99', 0, 1.5]);
    case 'bool':
      return random.chance();
    case 'enum':
      return random.pick(field.values!);
    case 'datetime':
      return random.pick([{ sql: 'current_timestamp()' }, '2020-01-01 00:00:00']);
    case 'string':
    case 'text':
    case 'set':
      return random.pick(TRICKY_TEXT);
    case 'date':
    case 'time':
    case 'year':
    case 'json':
    case 'binary':
    case 'geometry':
      return random.chance() ? { sql: random.pick(['uuid()', "json_object('a', 1)", '(1 + 2)']) } : undefined;
  }
};
