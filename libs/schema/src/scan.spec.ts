import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDatabase } from './introspection/information-schema.reader.js';
import type { RawDatabase } from './introspection/raw-database.types.js';
import { parseSchemaYaml } from './model/schema-yaml.parser.js';
import { scanSchema } from './scan.js';
import type { SchemaDef, TableDef } from './schema.types.js';
import { loadSakila, TEST_MARIADB, type LoadedSakila } from './testing/sakila-loader.js';

const tableOf = (schema: SchemaDef, name: string): TableDef => {
  const table = schema.tables.find((t) => t.name === name);
  if (!table) throw new Error(`no table ${name}`);
  return table;
};

const parsed = (yaml: string): SchemaDef => {
  const { schema, findings } = parseSchemaYaml(yaml, 'schema.yaml');
  expect(findings).toEqual([]);
  return schema!;
};

describe('scanSchema on Sakila (real MariaDB)', () => {
  let sakila: LoadedSakila;
  let connection: mysql.Connection;
  const read = (): Promise<RawDatabase> =>
    readDatabase(
      async (sql, params) => (await connection.query(sql, params))[0] as Record<string, unknown>[],
      sakila.database,
    );

  beforeAll(async () => {
    sakila = await loadSakila({ area: 'scan', data: false });
    connection = await mysql.createConnection({ ...TEST_MARIADB, database: sakila.database });
  }, 60_000);
  afterAll(async () => {
    await connection?.end();
    await sakila?.drop();
  });

  it('scans 16 tables and 7 views with keys, types, indexes and a relation for every foreign key', async () => {
    const raw = await read();
    const { schema, notes, findings } = scanSchema(raw, null);
    expect(findings).toEqual([]);
    expect(schema.tables.filter((t) => !t.view).map((t) => t.name)).toEqual([
      'actor',
      'address',
      'category',
      'city',
      'country',
      'customer',
      'film',
      'film_actor',
      'film_category',
      'film_text',
      'inventory',
      'language',
      'payment',
      'rental',
      'staff',
      'store',
    ]);
    expect(schema.tables.filter((t) => t.view).map((t) => t.name)).toEqual([
      'actor_info',
      'customer_list',
      'film_list',
      'nicer_but_slower_film_list',
      'sales_by_film_category',
      'sales_by_store',
      'staff_list',
    ]);

    // Composite keys, in key order, on every key field; the tables serve all five operations.
    expect(tableOf(schema, 'film_actor').primary).toEqual(['actor_id', 'film_id']);
    expect(tableOf(schema, 'film_category').primary).toEqual(['film_id', 'category_id']);
    expect(
      tableOf(schema, 'film_actor')
        .fields.filter((f) => f.primary)
        .map((f) => f.name),
    ).toEqual(['actor_id', 'film_id']);
    expect(tableOf(schema, 'film_actor').crud).toEqual(['list', 'read', 'create', 'update', 'delete']);

    const film = tableOf(schema, 'film');
    const filmField = (name: string) => film.fields.find((f) => f.name === name);
    expect(filmField('film_id')).toMatchObject({
      type: 'int',
      dbType: 'smallint',
      unsigned: true,
      primary: true,
      auto: true,
    });
    expect(filmField('rating')).toMatchObject({
      type: 'enum',
      values: ['G', 'PG', 'PG-13', 'R', 'NC-17'],
      default: 'G',
    });
    expect(filmField('special_features')).toMatchObject({
      type: 'set',
      values: ['Trailers', 'Commentaries', 'Deleted Scenes', 'Behind the Scenes'],
      nullable: true,
    });
    expect(filmField('release_year')).toMatchObject({ type: 'year', nullable: true });
    expect(filmField('rental_rate')).toMatchObject({
      type: 'decimal',
      precision: 4,
      scale: 2,
      default: '4.99',
    });
    expect(filmField('last_update')).toMatchObject({
      type: 'datetime',
      dbType: 'timestamp',
      default: { sql: 'current_timestamp()' },
      onUpdate: { sql: 'current_timestamp()' },
    });
    expect(tableOf(schema, 'staff').fields.find((f) => f.name === 'picture')).toMatchObject({
      type: 'binary',
      nullable: true,
    });
    expect(tableOf(schema, 'staff').fields.find((f) => f.name === 'picture')?.dbType).toBeUndefined();
    expect(tableOf(schema, 'address').fields.find((f) => f.name === 'location')).toMatchObject({
      type: 'geometry',
      required: true,
    });
    expect(tableOf(schema, 'address').indexes).toContainEqual({
      name: 'idx_location',
      fields: ['location'],
      unique: false,
      kind: 'spatial',
    });
    expect(tableOf(schema, 'film_text').indexes).toContainEqual({
      name: 'idx_title_description',
      fields: ['title', 'description'],
      unique: false,
      kind: 'fulltext',
    });
    expect(tableOf(schema, 'customer').fields.find((f) => f.name === 'active')).toMatchObject({
      type: 'bool',
      default: true,
    });
    expect(tableOf(schema, 'store').fields.find((f) => f.name === 'manager_staff_id')?.unique).toBe(true);

    // Every foreign key of the database: a field's `foreign`, a belongs_to here, a has_many there.
    const keys = raw.tables.flatMap((t) => t.foreignKeys.map((key) => ({ table: t.name, key })));
    expect(keys).toHaveLength(22);
    for (const { table, key } of keys) {
      const column = key.columns[0];
      const field = tableOf(schema, table).fields.find((f) => f.name === column);
      expect(field?.foreign).toEqual({
        table: key.referencedTable,
        field: key.referencedColumns[0],
        name: key.name,
        onDelete: key.onDelete === 'SET NULL' ? 'set_null' : key.onDelete.toLowerCase(),
        onUpdate: key.onUpdate.toLowerCase(),
      });
      expect(tableOf(schema, table).relations).toContainEqual(
        expect.objectContaining({ type: 'belongs_to', table: key.referencedTable, field: column }),
      );
      expect(tableOf(schema, key.referencedTable).relations).toContainEqual(
        expect.objectContaining({
          type: 'has_many',
          table,
          field: column,
          references: key.referencedColumns[0],
        }),
      );
    }
    expect(film.relations.filter((r) => r.type === 'belongs_to').map((r) => r.name)).toEqual([
      'language',
      'original_language',
    ]);
    expect(
      film.relations
        .filter((r) => r.type === 'many_to_many')
        .map((r) => [r.name, r.type === 'many_to_many' && r.through]),
    ).toEqual([
      ['actor', 'film_actor'],
      ['category', 'film_category'],
    ]);
    expect(tableOf(schema, 'actor').relations).toContainEqual({
      name: 'film',
      type: 'many_to_many',
      table: 'film',
      through: 'film_actor',
      field: 'actor_id',
      references: 'actor_id',
      targetField: 'film_id',
      targetReferences: 'film_id',
    });

    // Sakila has no users table: no auth fields, no owner filter. Views lose their unsafe columns.
    expect(schema.tables.some((t) => t.filter !== undefined)).toBe(false);
    expect(schema.tables.flatMap((t) => t.fields).some((f) => f.auth !== undefined)).toBe(false);
    expect(tableOf(schema, 'customer_list').fields.map((f) => f.name)).toEqual([
      'ID',
      'name',
      'address',
      'phone',
      'city',
      'country',
      'notes',
      'SID',
    ]);
    expect(notes).toEqual([
      'view customer_list: column `zip code` is not a safe identifier; left out',
      'view staff_list: column `zip code` is not a safe identifier; left out',
    ]);
  });

  it('writes YAML that parses back, without findings, to the same model; a second scan gives the same bytes', async () => {
    const first = scanSchema(await read(), null);
    expect(parsed(first.yaml)).toEqual(first.schema);
    const again = scanSchema(await read(), null);
    expect(again.yaml).toBe(first.yaml);
    // Re-scanning over the file it wrote changes nothing either.
    const over = scanSchema(await read(), parsed(first.yaml));
    expect(over.yaml).toBe(first.yaml);
    expect(over.report).toEqual({
      addedTables: [],
      addedFields: [],
      droppedTables: [],
      droppedFields: [],
      changedFields: [],
    });
  });

  it('keeps hand edits on a re-scan, adds new columns and reports dropped ones', async () => {
    const first = scanSchema(await read(), null);
    const edited = first.yaml
      .replace(
        /^ {2}film:\n/m,
        "  film:\n    crud: [list, read]\n    public: [list]\n    order: title asc\n    filters:\n      by_title: { where: 'title LIKE :q' }\n",
      )
      .replace(/^( {6}email: \{ type: string, length: 50, nullable: true)/m, '$1, hidden: true');
    const existing = parsed(edited);
    expect(tableOf(existing, 'customer').fields.find((f) => f.name === 'email')?.hidden).toBe(true);

    await connection.query('ALTER TABLE film ADD COLUMN subtitle VARCHAR(100) NULL AFTER title');
    await connection.query('ALTER TABLE staff DROP COLUMN picture');
    try {
      const rescan = scanSchema(await read(), existing);
      expect(rescan.report).toEqual({
        addedTables: [],
        addedFields: ['film.subtitle'],
        droppedTables: [],
        droppedFields: ['staff.picture'],
        changedFields: [],
      });
      const film = tableOf(rescan.schema, 'film');
      expect(film.crud).toEqual(['list', 'read']);
      expect(film.public).toEqual(['list']);
      expect(film.order).toEqual([{ field: 'title', direction: 'asc' }]);
      expect(film.filters.map((f) => [f.name, f.where, f.params])).toEqual([
        ['by_title', 'title LIKE :q', ['q']],
      ]);
      expect(film.fields.map((f) => f.name).slice(0, 3)).toEqual(['film_id', 'title', 'subtitle']);
      expect(tableOf(rescan.schema, 'customer').fields.find((f) => f.name === 'email')?.hidden).toBe(true);
      // The dropped column stays in the file (reported, never silently deleted).
      expect(tableOf(rescan.schema, 'staff').fields.map((f) => f.name)).toContain('picture');
      const reparsed = parsed(rescan.yaml);
      expect(reparsed).toEqual(rescan.schema);
      expect(rescan.yaml).toContain('crud: [list, read]');
      expect(rescan.yaml).toMatch(/email: \{ [^}]*hidden: true/);
    } finally {
      await connection.query('ALTER TABLE film DROP COLUMN subtitle');
      await connection.query('ALTER TABLE staff ADD COLUMN picture BLOB NULL AFTER address_id');
    }
  });
});
