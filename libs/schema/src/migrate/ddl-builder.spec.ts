import { describe, expect, it } from 'vitest';
import { diffSchemas } from '../diff/schema-diff.js';
import type { SchemaDef, TableDef } from '../schema.types.js';
import { aField, aForeignField, anIdField, anIndex, aSchema, aTable } from '../testing/schema.factory.js';
import { columnDefinition } from './column-ddl.js';
import { migrationFor } from './ddl-builder.js';

const migrate = (desired: SchemaDef, live: SchemaDef, allowDrop = false) =>
  migrationFor(diffSchemas(desired, live), desired, { allowDrop });

const store = aTable('store', {
  fields: [
    anIdField('store_id'),
    aForeignField('manager_staff_id', 'staff', 'staff_id', {
      foreign: {
        table: 'staff',
        field: 'staff_id',
        name: 'fk_store_staff',
        onDelete: 'restrict',
        onUpdate: 'cascade',
      },
    }),
  ],
  indexes: [anIndex('idx_unique_manager', ['manager_staff_id'], { unique: true })],
});
const staff = aTable('staff', {
  fields: [
    anIdField('staff_id'),
    aForeignField('store_id', 'store', 'store_id', {
      foreign: {
        table: 'store',
        field: 'store_id',
        name: 'fk_staff_store',
        onDelete: 'restrict',
        onUpdate: 'cascade',
      },
    }),
    aForeignField('boss_id', 'staff', 'staff_id', { nullable: true, required: false }),
  ],
});
const country = aTable('country', {
  fields: [anIdField('country_id'), aField('name', { type: 'string', length: 50 })],
});
const city = aTable('city', {
  comment: "Cities' names",
  fields: [
    anIdField('city_id'),
    aForeignField('country_id', 'country', 'country_id', {
      foreign: { table: 'country', field: 'country_id', onDelete: 'cascade', onUpdate: 'set_null' },
    }),
  ],
});

describe('columnDefinition', () => {
  it('writes type, NULL, default, ON UPDATE, AUTO_INCREMENT and COMMENT', () => {
    expect(columnDefinition(anIdField('id', { dbType: 'smallint', comment: 'The key' }))).toBe(
      "`id` smallint unsigned NOT NULL AUTO_INCREMENT COMMENT 'The key'",
    );
    expect(
      columnDefinition(
        aField('last_update', {
          type: 'datetime',
          dbType: 'timestamp',
          default: { sql: 'CURRENT_TIMESTAMP' },
          onUpdate: { sql: 'now()' },
        }),
      ),
    ).toBe('`last_update` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp()');
    expect(
      columnDefinition(aField('rate', { type: 'decimal', precision: 4, scale: 2, default: '4.99' })),
    ).toBe('`rate` decimal(4,2) NOT NULL DEFAULT 4.99');
    expect(columnDefinition(aField('note', { type: 'text', nullable: true }))).toBe(
      '`note` text NULL DEFAULT NULL',
    );
    expect(columnDefinition(aField('active', { type: 'bool', default: true }))).toBe(
      '`active` tinyint(1) NOT NULL DEFAULT 1',
    );
    expect(
      columnDefinition(aField('code', { type: 'string', dbType: 'char', length: 7, default: '#607d8b' })),
    ).toBe("`code` char(7) NOT NULL DEFAULT '#607d8b'");
    expect(columnDefinition(aField('uid', { type: 'string', length: 36, default: { sql: 'UUID()' } }))).toBe(
      '`uid` varchar(36) NOT NULL DEFAULT (uuid())',
    );
  });

  it('escapes quotes and backslashes in enum values, defaults and comments', () => {
    expect(
      columnDefinition(
        aField('name', {
          type: 'enum',
          values: ["O'Brien", 'back\\slash', 'plain'],
          default: "O'Brien",
          comment: "it's \\ here",
        }),
      ),
    ).toBe(
      "`name` enum('O''Brien','back\\\\slash','plain') NOT NULL DEFAULT 'O''Brien' COMMENT 'it''s \\\\ here'",
    );
  });

  it('refuses a name that is not a safe identifier', () => {
    expect(() => columnDefinition(aField('bad`name'))).toThrow(/Unsafe SQL identifier/);
  });
});

describe('migrationFor', () => {
  it('creates tables after those they reference, and breaks a cycle with a later ALTER', () => {
    const { statements, skipped } = migrate(aSchema([store, staff, city, country]), aSchema([]));
    expect(skipped).toEqual([]);
    expect(statements).toEqual([
      'CREATE TABLE `country` (\n' +
        '  `country_id` int unsigned NOT NULL AUTO_INCREMENT,\n' +
        '  `name` varchar(50) NOT NULL,\n' +
        '  PRIMARY KEY (`country_id`)\n' +
        ')',
      'CREATE TABLE `city` (\n' +
        '  `city_id` int unsigned NOT NULL AUTO_INCREMENT,\n' +
        '  `country_id` int unsigned NOT NULL,\n' +
        '  PRIMARY KEY (`city_id`),\n' +
        '  FOREIGN KEY (`country_id`) REFERENCES `country` (`country_id`) ON DELETE CASCADE ON UPDATE SET NULL\n' +
        ") COMMENT = 'Cities'' names'",
      'CREATE TABLE `store` (\n' +
        '  `store_id` int unsigned NOT NULL AUTO_INCREMENT,\n' +
        '  `manager_staff_id` int unsigned NOT NULL,\n' +
        '  PRIMARY KEY (`store_id`),\n' +
        '  UNIQUE KEY `idx_unique_manager` (`manager_staff_id`)\n' +
        ')',
      'CREATE TABLE `staff` (\n' +
        '  `staff_id` int unsigned NOT NULL AUTO_INCREMENT,\n' +
        '  `store_id` int unsigned NOT NULL,\n' +
        '  `boss_id` int unsigned NULL DEFAULT NULL,\n' +
        '  PRIMARY KEY (`staff_id`),\n' +
        '  CONSTRAINT `fk_staff_store` FOREIGN KEY (`store_id`) REFERENCES `store` (`store_id`) ON DELETE RESTRICT ON UPDATE CASCADE,\n' +
        '  FOREIGN KEY (`boss_id`) REFERENCES `staff` (`staff_id`) ON DELETE RESTRICT ON UPDATE RESTRICT\n' +
        ')',
      'ALTER TABLE `store`\n' +
        '  ADD CONSTRAINT `fk_store_staff` FOREIGN KEY (`manager_staff_id`) REFERENCES `staff` (`staff_id`) ON DELETE RESTRICT ON UPDATE CASCADE',
    ]);
  });

  it('alters an existing table in one statement, placing new columns in schema order', () => {
    const live = aTable('film', {
      fields: [
        anIdField('film_id'),
        aField('title', { type: 'string', length: 255 }),
        aField('legacy', { nullable: true }),
      ],
      primary: [],
    });
    const desired = aTable('film', {
      fields: [
        anIdField('film_id'),
        aField('code', { type: 'string', dbType: 'char', length: 3 }),
        aField('title', { type: 'string', length: 128 }),
        aField('year', { type: 'year', nullable: true }),
      ],
      comment: 'Films',
    });
    const { statements, skipped } = migrate(aSchema([desired]), aSchema([live]));
    expect(statements).toEqual([
      'ALTER TABLE `film`\n' +
        '  ADD COLUMN `code` char(3) NOT NULL AFTER `film_id`,\n' +
        '  MODIFY COLUMN `title` varchar(128) NOT NULL,\n' +
        '  ADD COLUMN `year` year NULL DEFAULT NULL AFTER `title`,\n' +
        '  ADD PRIMARY KEY (`film_id`),\n' +
        "  COMMENT = 'Films'",
    ]);
    expect(skipped).toEqual(['DROP COLUMN film.legacy: needs --allow-drop']);
    expect(migrate(aSchema([desired]), aSchema([live]), true).statements[0]).toContain(
      'DROP COLUMN `legacy`',
    );
  });

  it('drops tables only with allowDrop, with foreign key checks off around the drops', () => {
    const desired = aSchema([country]);
    const live = aSchema([country, city, aTable('city_list', { view: true, primary: [] })]);
    expect(migrate(desired, live)).toEqual({
      statements: [],
      skipped: ['DROP TABLE city: needs --allow-drop', 'DROP VIEW city_list: needs --allow-drop'],
    });
    expect(migrate(desired, live, true)).toEqual({
      statements: [
        'SET FOREIGN_KEY_CHECKS = 0',
        'DROP TABLE `city`',
        'DROP VIEW `city_list`',
        'SET FOREIGN_KEY_CHECKS = 1',
      ],
      skipped: [],
    });
  });

  it('drops foreign keys and indexes first, rebuilds a changed index in one statement, adds keys last', () => {
    const desired = aTable('t', {
      fields: [
        anIdField(),
        aField('a'),
        aForeignField('country_id', 'country', 'country_id', {
          foreign: {
            table: 'country',
            field: 'country_id',
            name: 'fk_t_country',
            onDelete: 'cascade',
            onUpdate: 'restrict',
          },
        }),
      ],
      indexes: [anIndex('idx_a', ['a', 'country_id']), anIndex('idx_new', ['a'], { unique: true })],
    });
    const live = aTable('t', {
      fields: [
        anIdField(),
        aField('a'),
        aForeignField('country_id', 'country', 'country_id', {
          foreign: {
            table: 'country',
            field: 'country_id',
            name: 'fk_t_country',
            onDelete: 'restrict',
            onUpdate: 'restrict',
          },
        }),
      ],
      indexes: [anIndex('idx_a', ['a']), anIndex('idx_old', ['country_id', 'a'])],
    });
    const { statements } = migrate(aSchema([country, desired]), aSchema([country, live]));
    expect(statements).toEqual([
      'ALTER TABLE `t` DROP FOREIGN KEY `fk_t_country`',
      'ALTER TABLE `t` DROP INDEX `idx_old`',
      'ALTER TABLE `t`\n  DROP INDEX `idx_a`,\n  ADD KEY `idx_a` (`a`, `country_id`)',
      'ALTER TABLE `t`\n  ADD UNIQUE KEY `idx_new` (`a`)',
      'ALTER TABLE `t`\n  ADD CONSTRAINT `fk_t_country` FOREIGN KEY (`country_id`) REFERENCES `country` (`country_id`) ON DELETE CASCADE ON UPDATE RESTRICT',
    ]);
  });

  it('never creates views or turns a table into one, and says so', () => {
    const view = aTable('film_list', { view: true, primary: [], fields: [aField('fid')] });
    expect(migrate(aSchema([view]), aSchema([]))).toEqual({
      statements: [],
      skipped: ['CREATE VIEW film_list: schema.yaml holds no view SQL; create it by hand'],
    });
    expect(migrate(aSchema([view]), aSchema([{ ...view, view: false }])).skipped).toEqual([
      'film_list: a view in schema.yaml but a table in the database; convert it by hand',
    ]);
  });

  it('skips a column it cannot write, with the reason', () => {
    const bad: TableDef = aTable('t', { fields: [anIdField(), aField('s', { type: 'string' })] });
    expect(migrate(aSchema([bad]), aSchema([])).skipped).toEqual([
      'CREATE TABLE t: s: varchar needs a length',
    ]);
    expect(migrate(aSchema([bad]), aSchema([aTable('t')])).skipped).toEqual(['t.s: varchar needs a length']);
  });
});
