import type { CompiledTable, OwnerReference } from './compiled-table.js';
import { isOwned } from './crud-access.js';

/**
 * The foreign keys of `table` whose parent rows belong to users (an owner field, or owner links
 * of their own): a write may name only a parent row its caller could read (docs/schema.md,
 * "Owner rule on references"). Left out: the table's own owner field (forced from the token),
 * the users table as a parent (it is guarded for reading accounts, not for pointing at users),
 * and a belongs_to marked `owner_check: false`, unless the key is one of the table's owner links
 * (its rows belong to users through it, so it is always checked). Needs every table's owner
 * links already linked.
 */
export const ownerReferencesOf = (
  table: CompiledTable,
  tables: ReadonlyMap<string, CompiledTable>,
): OwnerReference[] => {
  if (table.def.view) return [];
  const references: OwnerReference[] = [];
  for (const field of table.fields.values()) {
    const foreign = field.def.foreign;
    const parent = foreign === undefined ? undefined : tables.get(foreign.table);
    if (parent === undefined || field === table.owner || parent.isUsersTable || !isOwned(parent)) continue;
    const parentKey = parent.fields.get(foreign!.field);
    if (parentKey === undefined) continue;
    const link = table.ownerLinks.some((l) => l.field === field);
    const optedOut = table.def.relations.some(
      (r) =>
        r.type === 'belongs_to' &&
        r.field === field.name &&
        r.table === parent.name &&
        r.ownerCheck === false,
    );
    if (link || !optedOut) references.push({ field, parent, parentKey, link });
  }
  return references;
};
