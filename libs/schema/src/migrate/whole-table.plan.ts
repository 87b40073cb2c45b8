import type { SchemaChange } from '../diff/schema-change.types.js';
import { quoteIdentifier } from '../quote-identifier.js';
import type { TableDef } from '../schema.types.js';

/** Where the changes of whole tables go: tables to create, DROP statements, skipped lines. */
export interface WholeTablePlan {
  toCreate: TableDef[];
  dropTables: string[];
  skipped: string[];
}

/**
 * What every engine does alike with a change of a whole table: a missing table is created (a
 * view is not: schema.yaml holds no view SQL), an extra one dropped only with allowDrop, a table
 * that is a view on the other side refused. False when `change` is about something else.
 */
export const planWholeTable = (
  change: SchemaChange,
  table: TableDef | undefined,
  allowDrop: boolean,
  plan: WholeTablePlan,
): change is Extract<SchemaChange, { kind: 'table_missing' | 'table_extra' | 'table_kind' }> => {
  if (change.kind === 'table_missing') {
    if (change.view)
      plan.skipped.push(`CREATE VIEW ${change.table}: schema.yaml holds no view SQL; create it by hand`);
    else if (table !== undefined) plan.toCreate.push(table);
    return true;
  }
  if (change.kind === 'table_extra') {
    if (allowDrop)
      plan.dropTables.push(`DROP ${change.view ? 'VIEW' : 'TABLE'} ${quoteIdentifier(change.table)}`);
    else plan.skipped.push(`DROP ${change.view ? 'VIEW' : 'TABLE'} ${change.table}: needs --allow-drop`);
    return true;
  }
  if (change.kind === 'table_kind') {
    plan.skipped.push(
      `${change.table}: a ${change.desired} in schema.yaml but a ${change.live} in the database; convert it by hand`,
    );
    return true;
  }
  return false;
};
