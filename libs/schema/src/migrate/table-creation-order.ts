import type { TableDef } from '../schema.types.js';

/**
 * The tables to create, each after the tables its foreign keys point to (schema.yaml order among
 * equals). A cycle (store <-> staff in Sakila) is broken at its first table in schema.yaml order,
 * whose keys into the cycle are then added after all tables exist.
 */
export const creationOrder = (tables: TableDef[]): TableDef[] => {
  const pending = new Map(tables.map((t) => [t.name, t]));
  const targets = (table: TableDef): string[] =>
    table.fields.flatMap((f) =>
      f.foreign !== undefined && f.foreign.table !== table.name && pending.has(f.foreign.table)
        ? [f.foreign.table]
        : [],
    );
  /** Whether `start` reaches itself through pending tables: only such a table breaks a cycle. */
  const onCycle = (start: TableDef): boolean => {
    const seen = new Set<string>();
    const stack = targets(start);
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (name === start.name) return true;
      if (seen.has(name)) continue;
      seen.add(name);
      stack.push(...targets(pending.get(name)!));
    }
    return false;
  };
  const ordered: TableDef[] = [];
  while (pending.size > 0) {
    const candidates = [...pending.values()];
    // When nothing is ready, every pending table leads into a cycle, so one is on it.
    const next = candidates.find((t) => targets(t).length === 0) ?? candidates.find(onCycle) ?? candidates[0];
    pending.delete(next.name);
    ordered.push(next);
  }
  return ordered;
};
