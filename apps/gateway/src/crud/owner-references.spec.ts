import { describe, expect, it } from 'vitest';
import type { SchemaDef, TableDef } from '@sogoms/schema';
import { ownedSakilaSchema } from '@sogoms/schema/testing';
import { compileApp } from './compiled-app.js';
import { readableParents } from './sql-builder.js';

const USERS = { table: 'users', idField: 'id', roleField: 'role' };

/** Each table's checked references as `field -> parent (link)`. */
const referencesOf = (schema: SchemaDef): Record<string, string[]> => {
  const app = compileApp(schema, new Map(), USERS);
  return Object.fromEntries(
    [...app.tables.values()].map((t) => [
      t.name,
      t.ownerReferences.map((r) => `${r.field.name} -> ${r.parent.name}${r.link ? ' (link)' : ''}`),
    ]),
  );
};

const editTable = (schema: SchemaDef, name: string, edit: (t: TableDef) => TableDef): SchemaDef => ({
  ...schema,
  tables: schema.tables.map((t) => (t.name === name ? edit(t) : t)),
});

describe('ownerReferencesOf (compiled with the app)', () => {
  it('lists the foreign keys into owned parents, direct or through their own parents', () => {
    expect(referencesOf(ownedSakilaSchema())).toEqual({
      users: [],
      staff: [],
      // The owner field (user_id) and the users table are never checked references.
      store: [],
      customer: ['store_id -> store'],
      inventory: ['store_id -> store (link)'],
      // inventory is owned only through store; staff is nobody's; customer is checked.
      rental: ['inventory_id -> inventory', 'customer_id -> customer'],
      // payment.customer is `owner_check: false`.
      payment: ['rental_id -> rental'],
    });
  });

  it('checks a reference again once owner_check: false is taken away', () => {
    const schema = editTable(ownedSakilaSchema(), 'payment', (t) => ({
      ...t,
      relations: t.relations.map((r) => (r.type === 'belongs_to' ? { ...r, ownerCheck: undefined } : r)),
    }));
    expect(referencesOf(schema).payment).toEqual(['rental_id -> rental', 'customer_id -> customer']);
  });

  it('keeps checking an owner link even when its relation says owner_check: false', () => {
    const schema = editTable(ownedSakilaSchema(), 'inventory', (t) => ({
      ...t,
      relations: t.relations.map((r) => (r.type === 'belongs_to' ? { ...r, ownerCheck: false as const } : r)),
    }));
    expect(referencesOf(schema).inventory).toEqual(['store_id -> store (link)']);
  });

  it('stops at a parent that nobody owns, however far down, and never checks a view', () => {
    const schema = editTable(
      editTable(ownedSakilaSchema(), 'store', (t) => ({ ...t, filter: undefined })),
      'payment',
      (t) => ({ ...t, view: true }),
    );
    expect(referencesOf(schema)).toMatchObject({
      customer: [],
      inventory: [],
      // inventory is nobody's once its store is.
      rental: ['customer_id -> customer'],
      payment: [],
    });
  });

  it('checks every key of a write in one statement, each parent with its own owner rule', () => {
    const rental = compileApp(ownedSakilaSchema(), new Map(), USERS).tables.get('rental')!;
    const [inventory, customer] = rental.ownerReferences;
    const statement = readableParents([
      { reference: inventory, values: [3, 4], owner: 7 },
      { reference: customer, values: [9], owner: 7 },
    ]);
    expect(statement.sql).toBe(
      'SELECT DISTINCT 0 AS `k`, `inventory`.`inventory_id` AS `v` FROM `inventory`' +
        ' WHERE `inventory`.`inventory_id` IN (?) AND `inventory`.`store_id` IN' +
        ' (SELECT `store`.`store_id` FROM `store` WHERE `store`.`user_id` = ?)' +
        ' UNION ALL SELECT DISTINCT 1 AS `k`, `customer`.`customer_id` AS `v` FROM `customer`' +
        ' WHERE `customer`.`customer_id` IN (?) AND `customer`.`user_id` = ?',
    );
    expect(statement.params).toEqual([[3, 4], 7, [9], 7]);
  });
});
