import type { FieldDef, RelationDef, TableDef } from '../schema.types.js';
import { compareText } from './schema-finding.js';
import { uniqueRelationName } from './relation-name.js';

/** `language_id` → `language`, `ArtistId` → `Artist`, `LANGUAGE_ID` → `LANGUAGE`. */
const ID_SUFFIX = /(?:_id|_ID|Id)$/;

/**
 * The tables with `relations` generated from their foreign keys by the naming rule of
 * docs/schema.md (any relations they had are replaced). Per table, in this order: belongs_to for
 * its own foreign keys (column order); has_many for the tables referencing it (by table name,
 * then column order); many_to_many through join tables (by name) whose primary key is exactly
 * their two foreign keys. Foreign keys to tables not in the list make no relation.
 */
export const deriveRelations = (tables: readonly TableDef[]): TableDef[] => {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const sorted = [...tables].sort((a, b) => compareText(a.name, b.name));
  const joins = sorted.filter(isJoinTable);
  return tables.map((table) => {
    const columns = new Set(table.fields.map((f) => f.name));
    const taken = new Set(columns);
    const relations: RelationDef[] = [];
    const add = (base: string, make: (name: string) => RelationDef): void => {
      const name = uniqueRelationName(base, taken);
      taken.add(name);
      relations.push(make(name));
    };
    for (const field of table.fields) {
      const foreign = field.foreign;
      if (foreign === undefined || !byName.has(foreign.table)) continue;
      add(belongsToName(field, foreign.table, columns), (name) => ({
        name,
        type: 'belongs_to',
        table: foreign.table,
        field: field.name,
        references: foreign.field,
      }));
    }
    for (const other of sorted) {
      const referencing = other.fields.filter((f) => f.foreign?.table === table.name);
      for (const field of referencing) {
        const base = referencing.length > 1 ? `${other.name}_by_${field.name}` : other.name;
        add(base, (name) => ({
          name,
          type: 'has_many',
          table: other.name,
          field: field.name,
          references: field.foreign!.field,
        }));
      }
    }
    for (const join of joins) {
      const [a, b] = join.primary.map((key) => join.fields.find((f) => f.name === key)!);
      for (const [near, far] of [
        [a, b],
        [b, a],
      ] as const) {
        if (near.foreign!.table !== table.name || !byName.has(far.foreign!.table)) continue;
        add(far.foreign!.table, (name) => ({
          name,
          type: 'many_to_many',
          table: far.foreign!.table,
          through: join.name,
          field: near.name,
          references: near.foreign!.field,
          targetField: far.name,
          targetReferences: far.foreign!.field,
        }));
      }
    }
    return { ...table, relations };
  });
};

/**
 * The column without its `_id`/`Id` suffix; `{column}_{table}` when that changes nothing, leaves
 * nothing, or names a column of the table.
 */
const belongsToName = (field: FieldDef, target: string, columns: ReadonlySet<string>): string => {
  const stripped = field.name.replace(ID_SUFFIX, '');
  if (stripped === '' || stripped === field.name || columns.has(stripped)) return `${field.name}_${target}`;
  return stripped;
};

/** A join table: its primary key is exactly two fields, both foreign keys. */
const isJoinTable = (table: TableDef): boolean =>
  table.primary.length === 2 &&
  table.primary[0] !== table.primary[1] &&
  table.primary.every((key) => table.fields.find((f) => f.name === key)?.foreign !== undefined);
