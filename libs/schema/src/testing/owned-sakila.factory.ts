import { deriveRelations } from '../model/relation-deriver.js';
import type { SchemaDef, TableDef } from '../schema.types.js';
import { aField, aForeignField, anIdField, aSchema, aTable } from './schema.factory.js';

/**
 * A Sakila-like shop whose rows belong to users, for the owner rule on references: stores are
 * owned directly; inventory through its store (an owner link); rentals reference inventory (a
 * parent owned only through its own parent), customers (owned) and staff (not owned); a
 * payment's customer is shared on purpose (`owner_check: false`). Admins see every row.
 */
export const ownedSakilaSchema = (): SchemaDef => {
  const owned = (name: string, fields: TableDef['fields']): TableDef =>
    aTable(name, {
      filter: 'owner',
      ownerBypass: ['admin'],
      fields: [anIdField(`${name}_id`), aForeignField('user_id', 'users', 'id'), ...fields],
    });
  const optional = (name: string, table: string) =>
    aForeignField(name, table, `${table}_id`, { required: false, nullable: true });
  const name = aField('name', { type: 'string', length: 45, required: true });
  const tables = deriveRelations([
    aTable('users', {
      fields: [
        anIdField('id'),
        aField('email', { type: 'string', length: 190, required: true, unique: true, auth: 'login' }),
        aField('password_hash', {
          type: 'string',
          length: 100,
          required: true,
          hidden: true,
          auth: 'password',
        }),
        aField('role', { type: 'enum', values: ['default', 'admin'], default: 'default' }),
      ],
    }),
    aTable('staff', { fields: [anIdField('staff_id'), name] }),
    owned('store', [name]),
    owned('customer', [aForeignField('store_id', 'store', 'store_id'), name]),
    aTable('inventory', {
      fields: [anIdField('inventory_id'), aForeignField('store_id', 'store', 'store_id'), name],
    }),
    owned('rental', [
      aForeignField('inventory_id', 'inventory', 'inventory_id'),
      optional('customer_id', 'customer'),
      optional('staff_id', 'staff'),
    ]),
    owned('payment', [
      optional('rental_id', 'rental'),
      optional('customer_id', 'customer'),
      aField('amount', { type: 'decimal', precision: 5, scale: 2, required: true }),
    ]),
  ]);
  return aSchema(
    tables.map((t) =>
      t.name !== 'payment'
        ? t
        : {
            ...t,
            relations: t.relations.map((r) =>
              r.type === 'belongs_to' && r.field === 'customer_id' ? { ...r, ownerCheck: false as const } : r,
            ),
          },
    ),
  );
};
